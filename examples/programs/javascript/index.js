const { summary } = require('./stats');

const input = require('fs').readFileSync(0, 'utf8');
const numbers = input.split(/\s+/).filter(Boolean).map(Number);
console.log(summary(numbers));
