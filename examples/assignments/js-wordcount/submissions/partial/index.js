const fs = require('fs');

const text = fs.readFileSync(0, 'utf8');

let lines = 0;
if (text !== '') {
  lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}
const words = text.split(/\s+/).filter((w) => w !== '');

const counts = {};
for (const w of words) {
  counts[w] = (counts[w] || 0) + 1;
}
const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
const top = entries[0][0];

console.log('lines: ' + lines);
console.log('words: ' + words.length);
console.log('unique: ' + entries.length);
console.log('top: ' + top);

fs.writeFileSync('report.txt', 'WORDCOUNT REPORT\nlines=' + lines + '\nwords=' + words.length + '\n');
