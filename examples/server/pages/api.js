// What the pages share: the API token (kept in this tab's sessionStorage, never in a cookie or
// localStorage), requests with clear messages for each failure, and building DOM nodes from text.
// Nothing here assigns innerHTML: text from the server is only ever set as textContent.
'use strict';

const api = (() => {
  const TOKEN_KEY = 'autograder.token';

  class ApiFailure extends Error {
    constructor(message, status, body) {
      super(message);
      this.status = status;  // 0 when the server could not be reached
      this.body = body;
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
  function setToken(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
  }

  function headers(extra) {
    const result = Object.assign({ Accept: 'application/json' }, extra || {});
    if (token()) result.Authorization = `Bearer ${token()}`;
    return result;
  }

  const unreachable = () => new ApiFailure(
    `The server at ${location.origin} cannot be reached: check that it is running, then try again.`, 0, null);

  // fetch, with every failure turned into an ApiFailure whose message a person can act on.
  async function request(method, path, body) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      throw unreachable();
    }
    let parsed = null;
    const text = await response.text().catch(() => '');
    try { parsed = text ? JSON.parse(text) : null; } catch (error) { parsed = null; }
    if (response.ok) return parsed;
    let message = (parsed && typeof parsed.detail === 'string') ? parsed.detail : `HTTP ${response.status}`;
    if (response.status === 401) message = 'The server refused the token: enter the API token again.';
    if (parsed && typeof parsed.field === 'string') message += ` (field ${parsed.field})`;
    throw new ApiFailure(message, response.status, parsed);
  }

  // Server-Sent Events over fetch (EventSource cannot send the Authorization header): calls
  // onEvent(data) for each event's JSON data until the server ends the stream.
  async function streamEvents(path, onEvent) {
    let response;
    try {
      response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), cache: 'no-store' });
    } catch (error) {
      throw unreachable();
    }
    if (!response.ok) throw new ApiFailure(`The event stream answered HTTP ${response.status}`, response.status, null);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw new ApiFailure('The connection to the server was lost while the program ran.', 0, null);
      }
      if (chunk.done) break;
      buffered += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = block.split('\n').filter((line) => line.startsWith('data:'))
                          .map((line) => line.slice(5).trimStart()).join('\n');
        if (data) onEvent(JSON.parse(data));
      }
    }
  }

  // document.createElement with text content and attributes; children appended in order.
  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Shows `text` in a message area (role=alert or status), or hides it when empty.
  function say(node, text, kind) {
    node.textContent = text || '';
    node.className = `message ${kind || 'info'}`;
  }

  // The token form every page has: filled from sessionStorage, saved on submit.
  function bindTokenForm(form, input, onSaved) {
    input.value = token();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      setToken(input.value.trim());
      if (onSaved) onSaved();
    });
  }

  return { ApiFailure, token, setToken, request, streamEvents, element, say, bindTokenForm };
})();
