// The agenda page's email subscription form: posts the address as JSON to the notification-service (whose CORS
// allows the site's origin) and shows its answer. The form stays hidden without JavaScript, since a plain form post
// would land on a JSON answer.
(function () {
  'use strict';
  var form = document.getElementById('abonnement');
  if (!form || !window.fetch) {
    return;
  }
  var input = document.getElementById('abonnement-email');
  var message = document.getElementById('abonnement-message');
  var button = form.querySelector('button');
  form.hidden = false;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    message.textContent = 'Envoi…';
    fetch(form.getAttribute('data-endpoint'), {
      method: 'POST',
      // Content-Type only: the notification-service's CORS allows that request header, nothing more.
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: input.value.trim() })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          message.textContent = body.message || 'Demande enregistrée : un courriel de confirmation va vous être envoyé.';
          form.reset();
        } else if (response.status === 429) {
          message.textContent = 'Trop de demandes : réessayez dans quelques minutes.';
        } else {
          message.textContent = 'Cette adresse n’a pas pu être enregistrée : vérifiez-la et réessayez.';
        }
      });
    }).catch(function () {
      message.textContent = 'Le service d’abonnement ne répond pas : réessayez plus tard.';
    }).then(function () {
      button.disabled = false;
    });
  });
})();
