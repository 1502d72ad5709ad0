exports.summary = (numbers) => {
  const total = numbers.reduce((a, b) => a + b, 0);
  const mean = numbers.length ? total / numbers.length : 0;
  return `count=${numbers.length} sum=${total} mean=${mean.toFixed(2)}`;
};
