'use strict';

const fs = require('fs');
const { analyse } = require('./counter');

const text = fs.readFileSync(0, 'utf8');
const result = analyse(text);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({
    lines: result.lines,
    words: result.words,
    unique: result.unique,
    top: result.top,
  }));
} else {
  console.log(`lines: ${result.lines}`);
  console.log(`words: ${result.words}`);
  console.log(`unique: ${result.unique}`);
  console.log(`top: ${result.top}`);
}

fs.writeFileSync('report.txt', [
  'WORDCOUNT REPORT',
  `lines=${result.lines}`,
  `words=${result.words}`,
  `unique=${result.unique}`,
  `top=${result.top} (${result.topCount})`,
  '',
].join('\n'));
