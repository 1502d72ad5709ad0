// The teacher view: an assignment's submissions (GET /configs/{external_assignment_id}/submissions)
// with status and score, a histogram of the final scores drawn as SVG, and each submission's
// Markdown feedback rendered by markdown.js (text nodes only, never HTML).
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const pageMessage = $('page-message');

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Ten bins over 0–100 (a score of 100 falls in the last).
  function drawHistogram(scores) {
    const chart = $('histogram');
    const bins = new Array(10).fill(0);
    for (const score of scores) bins[Math.min(9, Math.max(0, Math.floor(score / 10)))] += 1;
    const tallest = Math.max(1, ...bins);
    const left = 30, bottom = 150, width = 36, height = 120;
    const nodes = [svg('line', { class: 'axis', x1: left, y1: bottom, x2: left + 10 * width, y2: bottom })];
    bins.forEach((count, index) => {
      const barHeight = (count / tallest) * height;
      const x = left + index * width;
      const bar = svg('rect', { class: 'bar', x: x + 3, y: bottom - barHeight, width: width - 6, height: barHeight });
      bar.append(svg('title', {}, `${index * 10}–${index === 9 ? 100 : index * 10 + 9}: ${count}`));
      nodes.push(bar);
      if (count > 0) nodes.push(svg('text', { x: x + width / 2, y: bottom - barHeight - 4, 'text-anchor': 'middle' }, String(count)));
      nodes.push(svg('text', { x: x + width / 2, y: bottom + 16, 'text-anchor': 'middle' }, String(index * 10)));
    });
    nodes.push(svg('text', { x: left + 5 * width, y: bottom + 30, 'text-anchor': 'middle' }, 'final score'));
    chart.replaceChildren(...nodes);
    chart.dataset.bins = bins.join(',');
  }

  function feedbackCell(submission) {
    if (!submission.feedback) return api.element('td', { 'data-label': 'Feedback' }, '—');
    const details = api.element('details', { class: 'submission-feedback' },
                                api.element('summary', null, `Feedback of ${submission.id}`));
    details.append(markdown.render(typeof submission.feedback === 'string'
                                     ? submission.feedback : JSON.stringify(submission.feedback, null, 2)));
    return api.element('td', { class: 'feedback-cell', 'data-label': 'Feedback' }, details);
  }

  function show(submissions, assignment) {
    const scores = submissions.map((s) => s.final_score).filter((score) => typeof score === 'number');
    const mean = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
    $('summary').textContent = `${assignment}: ${submissions.length} submission(s), ${scores.length} graded` +
                               (mean === null ? '.' : `, mean score ${mean.toFixed(1)}.`);
    drawHistogram(scores);
    // data-label names each cell's column where the table folds into cards (phone width).
    const when = (stamp) => (stamp || '').replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    const rows = submissions.map((s) => api.element('tr', { 'data-id': s.id },
      api.element('td', { 'data-label': 'Id' }, String(s.id)),
      api.element('td', { 'data-label': 'Student' }, s.username || s.external_user_id || ''),
      api.element('td', { class: `submission-status status-${s.status}`, 'data-label': 'Status' }, s.status),
      api.element('td', { class: 'submission-score', 'data-label': 'Score' },
                  typeof s.final_score === 'number' ? s.final_score.toFixed(1) : '—'),
      api.element('td', { 'data-label': 'Submitted' }, when(s.submitted_at)),
      feedbackCell(s)));
    $('submissions').tBodies[0].replaceChildren(...rows);
    $('results').classList.remove('hidden');
  }

  async function loadAssignments() {
    try {
      const configs = await api.request('GET', '/api/v1/configs?limit=500');
      const list = Array.isArray(configs) ? configs : (configs && configs.items) || [];
      $('assignment').replaceChildren(...list.map((config) =>
        api.element('option', { value: config.external_assignment_id }, config.external_assignment_id)));
      if (list.length === 0) api.say(pageMessage, 'No assignment has a configuration yet.', 'info');
    } catch (error) {
      api.say(pageMessage, `Could not load the assignments: ${error.message}`, 'error');
    }
  }

  api.bindTokenForm($('token-form'), $('token'), () => api.say(pageMessage, 'Token saved for this tab.', 'info'));

  $('assignment-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    api.say(pageMessage, '');
    const assignment = $('assignment').value;
    if (!api.token()) {
      api.say(pageMessage, 'Enter the API token first.', 'error');
      $('token').focus();
      return;
    }
    try {
      const submissions = await api.request(
        'GET', `/api/v1/configs/${encodeURIComponent(assignment)}/submissions?limit=500`);
      show(submissions, assignment);
    } catch (error) {
      api.say(pageMessage, `Could not load the submissions: ${error.message}`, 'error');
    }
  });

  loadAssignments();
})();
