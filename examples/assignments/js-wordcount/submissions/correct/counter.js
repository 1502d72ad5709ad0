'use strict';

/**
 * Counts lines, words, distinct words (case-insensitive) and the most frequent word
 * (ties broken alphabetically; "-" when there are no words).
 */
function analyse(text) {
  let lines = 0;
  if (text !== '') {
    lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
  const words = text.split(/\s+/).filter((w) => w !== '');
  const counts = new Map();
  for (const word of words) {
    const key = word.toLowerCase();
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let top = '-';
  let topCount = 0;
  for (const [word, count] of counts) {
    if (count > topCount || (count === topCount && word < top)) {
      top = word;
      topCount = count;
    }
  }
  return { lines, words: words.length, unique: counts.size, top, topCount };
}

module.exports = { analyse };
