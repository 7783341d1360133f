// Sends a message and renders the reply as it streams in over server-sent events.
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
    source.addEventListener('done', function () {
      finish('done');
    });
    source.addEventListener('failure', function (e) {
      reply.classList.add('failure');
      reply.textContent = 'Sorry, that failed: ' + JSON.parse(e.data).message;
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
