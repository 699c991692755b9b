// The idle sign-out, seen from the page: a warning two minutes before the server signs this
// session out, "Stay signed in" (a request that counts as activity), and no lost input.
// When the time is up the page goes to the sign-in page, unless a form holds unsaved input:
// then it stays, keeps that input in this tab's sessionStorage and restores it on this page
// after signing in again. Markup: #session-timeout in base.html.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box) return;
  var idleMs = Number(box.dataset.idleSeconds) * 1000;
  var warnMs = Number(box.dataset.warnSeconds) * 1000;
  var text = box.querySelector(".session-timeout-text");
  var again = box.querySelector(".session-timeout-again");
  var stay = box.querySelector(".session-timeout-stay");
  var here = location.pathname + location.search;
  var signInUrl = box.dataset.loginUrl + "?next=" + encodeURIComponent(here);
  var lastRequest = Date.now();
  var expired = false;
  var dirty = new Set();

  function postForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return form.method.toLowerCase() === "post";
    });
  }

  function draftKey(index) {
    return "cobench-draft:" + location.pathname + ":" + index;
  }

  function kept(field) {
    return field.name && field.name !== "csrfmiddlewaretoken" &&
      ["password", "file", "hidden", "submit", "button"].indexOf(field.type) < 0;
  }

  function saveDrafts() {
    postForms().forEach(function (form, index) {
      if (!dirty.has(form)) return;
      var fields = Array.prototype.map.call(form.elements, function (field) {
        if (!kept(field)) return null;
        var values = field.type === "select-multiple"
          ? Array.prototype.filter.call(field.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; })
          : field.value;
        return { name: field.name, value: values, checked: field.checked };
      });
      sessionStorage.setItem(draftKey(index), JSON.stringify(fields));
    });
  }

  function restoreDrafts() {
    var restored = false;
    postForms().forEach(function (form, index) {
      var saved = sessionStorage.getItem(draftKey(index));
      if (!saved) return;
      sessionStorage.removeItem(draftKey(index));
      JSON.parse(saved).forEach(function (entry, i) {
        var field = form.elements[i];
        if (!entry || !field || field.name !== entry.name || !kept(field)) return;
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = entry.checked;
        } else if (field.type === "select-multiple") {
          Array.prototype.forEach.call(field.options, function (o) {
            o.selected = entry.value.indexOf(o.value) >= 0;
          });
        } else {
          field.value = entry.value;
        }
      });
      dirty.add(form);
      restored = true;
    });
    if (restored) {
      var note = document.createElement("p");
      note.className = "notice notice-info session-restored";
      note.setAttribute("role", "status");
      note.textContent = "Your unsaved input is back from before you were signed out: check it and submit again.";
      var main = document.querySelector("main");
      if (main) main.insertBefore(note, main.firstChild);
    }
  }

  function minutes(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return s > 60 ? Math.ceil(s / 60) + " minutes" : s + " seconds";
  }

  function expire() {
    expired = true;
    if (dirty.size === 0) {
      location.assign(signInUrl);
      return;
    }
    saveDrafts();
    text.textContent = "You were signed out after " + box.dataset.idleMinutes +
      " minutes without activity. Your unsaved input is kept in this tab: sign in again " +
      "and it is filled in again here.";
    stay.hidden = true;
    again.hidden = false;
    box.hidden = false;
  }

  function tick() {
    if (expired) return;
    // a few seconds past the server's limit, so that going to the sign-in page never
    // reaches the server while it would still count as activity
    var left = lastRequest + idleMs - Date.now();
    if (left <= -5000) {
      expire();
    } else if (left <= warnMs) {
      text.textContent = "You will be signed out in " + minutes(left) +
        " for inactivity. Unsaved input in this page is kept.";
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  stay.addEventListener("click", function () {
    fetch(box.dataset.pingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.dataset.csrf },
    }).then(function (response) {
      if (response.status === 204) {
        lastRequest = Date.now();
        tick();
      } else {
        expire();
      }
    });
  });
  again.href = signInUrl;

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.method.toLowerCase() === "post") dirty.add(form);
  });
  document.addEventListener("submit", function (event) {
    if (!expired) {
      dirty.delete(event.target);
      return;
    }
    // the server would only answer with the sign-in page: keep the input and go there
    event.preventDefault();
    dirty.add(event.target);
    saveDrafts();
    location.assign(signInUrl);
  });
  document.body.addEventListener("htmx:afterRequest", function () {
    if (!expired) lastRequest = Date.now();
  });

  restoreDrafts();
  setInterval(tick, 1000);
})();
