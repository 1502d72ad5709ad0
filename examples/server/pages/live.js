// The live-coding page: a code session (POST /code-sessions), autosave of the editor through
// PATCH /code-sessions/{id} a moment after the last keystroke, Run (POST …/run) and the run's
// states streamed from GET /executions/{id}/events. Program output is set as text only.
'use strict';

(() => {
  const SESSION_KEY = 'autograder.live.session';
  const AUTOSAVE_DELAY_MS = 700;
  const $ = (id) => document.getElementById(id);
  const code = $('code');
  const gutter = $('gutter');
  const saveState = $('save-state');
  const runButton = $('run');
  const pageMessage = $('page-message');
  const runMessage = $('run-message');

  let session = null;        // {session_id, language, ...}
  let edits = 0;             // bumped by every change of the editor
  let savedEdits = 0;        // the edit count last saved
  let saveTimer = null;
  let saving = null;         // the save in flight, if any

  function showSaveState(state, text) {
    saveState.dataset.state = state;
    saveState.textContent = text;
  }

  function updateGutter() {
    const count = code.value.split('\n').length;
    let numbers = '';
    for (let line = 1; line <= count; ++line) numbers += `${line}\n`;
    gutter.textContent = numbers;
    gutter.scrollTop = code.scrollTop;
  }

  // Saves the editor unless it is saved already; a change made while a save is in flight is
  // saved by the next one.
  async function save() {
    clearTimeout(saveTimer);
    saveTimer = null;
    if (!session || savedEdits === edits) return;
    if (saving) { await saving; return save(); }
    const sending = edits;
    showSaveState('saving', 'Saving…');
    saving = api.request('PATCH', `/api/v1/code-sessions/${session.session_id}`, { code: code.value });
    try {
      await saving;
      savedEdits = Math.max(savedEdits, sending);
      if (savedEdits === edits) showSaveState('saved', 'Saved');
      else showSaveState('unsaved', 'Unsaved changes');
    } catch (error) {
      showSaveState('error', `Not saved: ${error.message}`);
    } finally {
      saving = null;
    }
    if (savedEdits !== edits && !saveTimer) saveTimer = setTimeout(save, AUTOSAVE_DELAY_MS);
  }

  code.addEventListener('input', () => {
    ++edits;
    updateGutter();
    if (!session) return;
    showSaveState('unsaved', 'Unsaved changes');
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, AUTOSAVE_DELAY_MS);
  });
  // Ctrl+Enter (or Cmd+Enter) runs from the editor. Tab is left to move the focus, so the
  // editor never traps a keyboard user.
  code.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runButton.click();
    }
  });
  code.addEventListener('scroll', () => { gutter.scrollTop = code.scrollTop; });
  window.addEventListener('beforeunload', (event) => {
    if (session && savedEdits !== edits) event.preventDefault();
  });

  function openSession(opened) {
    session = opened;
    sessionStorage.setItem(SESSION_KEY, String(opened.session_id));
    $('session-info').textContent =
      `Session ${opened.session_id}: ${opened.user_id} on ${opened.problem_id}, in ${opened.language}.`;
    // A reopened session shows its own user, problem and language in the form.
    $('user-id').value = opened.user_id;
    $('problem-id').value = opened.problem_id;
    if ([...$('language').options].some((option) => option.value === opened.language)) $('language').value = opened.language;
    code.disabled = false;
    runButton.disabled = false;
    code.value = opened.code || '';
    edits = savedEdits = 0;
    updateGutter();
    showSaveState('saved', 'Saved');
  }

  async function loadLanguages() {
    const select = $('language');
    try {
      const answer = await api.request('GET', '/api/v1/languages');
      select.replaceChildren(...answer.languages.map((language) =>
        api.element('option', { value: language.name }, `${language.name} (${language.extension})`)));
      if (answer.languages.some((language) => language.name === 'python')) select.value = 'python';
    } catch (error) {
      api.say(pageMessage, `Could not load the languages: ${error.message}`, 'error');
    }
  }

  async function restoreSession() {
    const id = sessionStorage.getItem(SESSION_KEY);
    if (!id || !api.token()) return;
    try {
      openSession(await api.request('GET', `/api/v1/code-sessions/${encodeURIComponent(id)}`));
    } catch (error) {
      sessionStorage.removeItem(SESSION_KEY);
      api.say(pageMessage, `Could not reopen session ${id}: ${error.message}`, 'error');
    }
  }

  api.bindTokenForm($('token-form'), $('token'), () => {
    api.say(pageMessage, 'Token saved for this tab.', 'info');
    restoreSession();
  });

  $('session-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    api.say(pageMessage, '');
    if (!api.token()) {
      api.say(pageMessage, 'Enter the API token first.', 'error');
      $('token').focus();
      return;
    }
    try {
      openSession(await api.request('POST', '/api/v1/code-sessions', {
        user_id: $('user-id').value.trim(),
        problem_id: $('problem-id').value.trim(),
        language: $('language').value,
      }));
      code.focus();
    } catch (error) {
      api.say(pageMessage, `Could not start the session: ${error.message}`, 'error');
    }
  });

  function showExecution(execution) {
    const status = $('run-status');
    status.textContent = execution.status;
    status.className = `status-${execution.status}`;
    runSection.dataset.status = execution.status;
    runSection.dataset.execution = String(execution.execution_id);
    if (!['COMPLETED', 'FAILED', 'TIMEOUT'].includes(execution.status)) return;
    $('stdout').textContent = execution.stdout || '';
    $('stderr').textContent = execution.stderr || '';
    $('run-exit').textContent = execution.exit_code === null || execution.exit_code === undefined ? '—' : String(execution.exit_code);
    $('run-time').textContent = typeof execution.execution_time === 'number' ? `${execution.execution_time} ms` : '—';
    $('run-memory').textContent = typeof execution.peak_memory_kb === 'number'
      ? `${(execution.peak_memory_kb / 1024).toFixed(1)} MiB` : '—';
    if (execution.status === 'TIMEOUT') {
      api.say(runMessage, 'TIMEOUT: the program ran longer than the time limit and was stopped. ' +
                          'Look for a loop that never ends or waits for input.', 'error');
    } else if (execution.status === 'FAILED') {
      api.say(runMessage, 'The program failed: see the standard error and the exit code.', 'warning');
    }
  }
  const runSection = $('run-section');

  runButton.addEventListener('click', async () => {
    if (!session) return;
    api.say(runMessage, '');
    let execution;
    try {
      // The editor's code is sent with the run, so a run never waits for the autosave.
      execution = await api.request('POST', `/api/v1/code-sessions/${session.session_id}/run`, { code: code.value });
    } catch (error) {
      if (error.status === 409) {
        const running = error.body && error.body.execution_id ? ` (execution ${error.body.execution_id} is ${error.body.status})` : '';
        api.say(runMessage, `A run is already in progress${running}: wait for it to finish, then run again.`, 'warning');
      } else {
        api.say(runMessage, `Could not run: ${error.message}`, 'error');
      }
      return;
    }
    $('stdout').textContent = '';
    $('stderr').textContent = '';
    for (const id of ['run-exit', 'run-time', 'run-memory']) $(id).textContent = '—';
    showExecution(execution);
    let last = execution;
    try {
      await api.streamEvents(`/api/v1/executions/${execution.execution_id}/events`, (state) => {
        last = state;
        showExecution(state);
      });
      if (!['COMPLETED', 'FAILED', 'TIMEOUT'].includes(last.status)) {
        api.say(runMessage, `The server ended the stream while the run was ${last.status} (it may be restarting): ` +
                            'reload the page in a moment to see the result.', 'warning');
      }
    } catch (error) {
      api.say(runMessage, error.message, 'error');
    }
  });

  updateGutter();
  loadLanguages().then(restoreSession);
})();
