// Sends a message and renders the reply as it streams in over server-sent events; each tool the
// agent ran shows as a small "called NAME(ARGS)" line with its result, above the reply.
(function () {
  const conversationId = 'web-' + Math.random().toString(36).slice(2);
  const log = document.getElementById('log');
  const form = document.getElementById('chat');
  const input = document.getElementById('message');
  const send = document.getElementById('send');
  let turns = 0;

  function line(cssClass, text) {
    const div = document.createElement('div');
    div.className = 'turn ' + cssClass;
    div.textContent = text;
    log.appendChild(div);
    return div;
  }

  // {"orderId":10234} -> "orderId: 10234"; arguments that are not a JSON object show as sent.
  function describeArguments(json) {
    try {
      const value = JSON.parse(json);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return Object.keys(value).map(function (key) {
          return key + ': ' + JSON.stringify(value[key]);
        }).join(', ');
      }
    } catch (ignored) {
      // Not JSON: show the text as the model wrote it.
    }
    return json;
  }

  function toolCall(before, tool) {
    const div = document.createElement('div');
    div.className = 'tool' + (tool.failed ? ' failure' : '');
    const call = document.createElement('span');
    call.className = 'tool-call';
    call.textContent = 'called ' + tool.name + '(' + describeArguments(tool.arguments) + ')';
    const result = document.createElement('span');
    result.className = 'tool-result';
    result.textContent = tool.result;
    div.appendChild(call);
    div.appendChild(document.createTextNode(' \u2192 '));
    div.appendChild(result);
    log.insertBefore(div, before);
    return div;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) {
      return;
    }
    input.value = '';
    send.disabled = true;
    turns += 1;
    line('user', message);
    const reply = line('assistant', '');
    reply.id = 'reply-' + turns;
    reply.dataset.state = 'streaming';
    const url = 'api/chat/stream?conversationId=' + encodeURIComponent(conversationId)
        + '&message=' + encodeURIComponent(message);
    const source = new EventSource(url);
    function finish(state) {
      source.close();
      reply.dataset.state = state;
      send.disabled = false;
      input.focus();
    }
    source.addEventListener('delta', function (e) {
      reply.textContent += JSON.parse(e.data).text;
    });
    source.addEventListener('tool', function (e) {
      toolCall(reply, JSON.parse(e.data));
    });
    source.addEventListener('done', function () {
      finish('done');
    });
    source.addEventListener('failure', function (e) {
      reply.classList.add('failure');
      reply.textContent = JSON.parse(e.data).message;
      finish('failed');
    });
    source.onerror = function () {
      // The server closed the stream without a done event.
      if (reply.dataset.state === 'streaming') {
        reply.classList.add('failure');
        reply.textContent += ' [connection lost]';
        finish('failed');
      }
    };
  });
})();
