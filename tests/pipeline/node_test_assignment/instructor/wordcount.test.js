// The instructor's node:test file for the node_test function's tests: the student's wordcount.js
// is loaded from the workspace.
const test = require('node:test');
const assert = require('node:assert/strict');
const { countWords, longestWord } = require('/workspace/wordcount.js');

test('counts words', () => {
  assert.equal(countWords('the quick brown fox'), 4);
});

test('empty text has no words', () => {
  assert.equal(countWords(''), 0, 'an empty text has 0 words');
});

test.describe('longestWord', () => {
  test.it('finds the longest', () => {
    assert.equal(longestWord('a bbb cc'), 'bbb');
  });
  test.it('keeps the first on a tie', () => {
    assert.equal(longestWord('ab cd'), 'ab');
  });
});
