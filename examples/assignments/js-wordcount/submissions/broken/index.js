const fs = require('fs');

const text = fs.readFileSync(0, 'utf8');
const lines = text.lines().length;
const words = text.trim().split(/\s+/);
const counts = new Map();
for (const w of words) {
  counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) || 0) + 1);
}
const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];

console.log('lines: ' + lines);
console.log('words: ' + words.length);
console.log('unique: ' + counts.size);
console.log('top: ' + top[0]);
fs.writeFileSync('report.txt', 'lines=' + lines + '\nwords=' + words.length + '\n');
