// The stretch player page: resume, progress reports, one-tap ratings and the hold timer.
// The hold timer is the page's only clock (the videos draw none); while a hold runs,
// the stylesheet keeps it stuck to the top of the screen by its data-phase.
// Without this file the page still works: the video plays with captions and the
// ratings post as an ordinary form.
(function () {
  "use strict";

  var root = document.querySelector("[data-stretch-player]");
  if (!root) return;

  var video = root.querySelector("[data-video]");
  var sessionsUrl = root.dataset.sessionsUrl;
  var sessionId = root.dataset.sessionId || "";
  var duration = parseFloat(root.dataset.duration) || 0;
  var resumeAt = parseFloat(root.dataset.resumeSeconds) || 0;
  var announcer = root.querySelector("[data-player-announce]");
  // The player reports this often while playing, and on pause, end and leaving.
  var REPORT_EVERY_MS = 10000;

  function announce(region, text) {
    // Clearing first makes screen readers repeat a message that happens to be the same.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function clock(seconds) {
    var whole = Math.max(0, Math.ceil(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // --- talking to the sessions API (session cookie + CSRF token) -------------------

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function api(method, url, body, keepalive) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      keepalive: Boolean(keepalive),
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function sessionUrl() {
    return sessionsUrl + sessionId + "/";
  }

  function setSession(id) {
    sessionId = id;
    root.dataset.sessionId = id;
    // The no-JavaScript forms carry the id too, so a later plain submit lands on the same viewing.
    root.querySelectorAll("[data-session-input]").forEach(function (input) { input.value = id; });
  }

  // One session per viewing: the first play or rating starts it, everything after reuses it.
  var starting = null;
  function ensureSession() {
    if (sessionId) return Promise.resolve(sessionId);
    if (!starting) {
      starting = api("POST", sessionsUrl, { video: root.dataset.video })
        .then(function (session) { setSession(session.id); return session.id; })
        .catch(function (error) { starting = null; throw error; });
    }
    return starting;
  }

  // --- progress and resume -----------------------------------------------------------

  var furthest = resumeAt;  // the furthest point reached; the server keeps the maximum too
  var reported = resumeAt;
  var finishedAnnounced = false;

  function noteProgress() {
    if (video.seeking) return;
    var at = video.currentTime;
    if (duration) at = Math.min(at, duration);
    if (at > furthest) furthest = at;
  }

  function report(keepalive) {
    noteProgress();
    if (!sessionId || furthest <= reported) return;
    var seconds = Math.round(furthest * 10) / 10;
    var previous = reported;
    reported = furthest;
    api("PATCH", sessionUrl(), { watched_seconds: seconds }, keepalive)
      .then(function (session) {
        root.dataset.watchedSeconds = String(session.watched_seconds);
        if (session.completed) root.dataset.completed = "true";
      })
      .catch(function () { reported = previous; });  // try again with the next report
  }

  if (video) {
    var note = root.querySelector("[data-resume-note]");
    video.addEventListener("timeupdate", noteProgress);
    video.addEventListener("play", function () {
      ensureSession().catch(function () { /* progress is kept locally and sent once a session exists */ });
    });
    video.addEventListener("pause", function () { report(false); });
    video.addEventListener("ended", function () {
      note.hidden = true;  // "picking up where you left off" no longer applies
      furthest = duration || video.duration || furthest;
      report(false);
      if (!finishedAnnounced) {
        finishedAnnounced = true;
        announce(announcer, "Finished. How do you feel now? You can rate your back and hip below.");
      }
    });
    window.setInterval(function () {
      if (!video.paused && !video.ended) report(false);
    }, REPORT_EVERY_MS);
    // Leaving the page: keepalive lets the last report finish after the page is gone.
    window.addEventListener("pagehide", function () { report(true); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") report(true);
    });

    var resume = function () {
      var length = video.duration || duration;
      if (resumeAt >= 1 && (!length || resumeAt < length - 1)) {
        video.currentTime = resumeAt;
        note.querySelector("[data-resume-text]").textContent =
          "Picking up where you left off, at " + clock(resumeAt) + ".";
        note.hidden = false;
      }
    };
    if (video.readyState >= 1) resume();
    else video.addEventListener("loadedmetadata", resume, { once: true });
    root.querySelector("[data-restart]").addEventListener("click", function () {
      video.currentTime = 0;
      note.hidden = true;
      video.focus();
    });
  }

  // --- one-tap ratings -----------------------------------------------------------------

  function ratingLabel(input) {
    // A scale's radios are named by their fieldset's legend, a compact select by its own label.
    if (input.type === "radio") return input.closest("fieldset").querySelector("legend").textContent;
    var label = root.querySelector('label[for="' + input.id + '"]');
    return (label ? label.textContent + " before" : input.name);
  }

  root.querySelectorAll("[data-ratings]").forEach(function (form) {
    var status = form.querySelector("[data-ratings-status]");
    // Each tap or choice saves itself, so the button is only for pages without this script.
    form.querySelector("[data-ratings-submit]").hidden = true;
    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "radio" && input.tagName !== "SELECT") return;
      var label = ratingLabel(input).trim().toLowerCase();
      var value = input.value === "" ? null : parseInt(input.value, 10);
      var body = {};
      body[input.name] = value;
      status.textContent = "Saving…";
      ensureSession()
        .then(function () { return api("PATCH", sessionUrl(), body); })
        .then(function () {
          status.textContent = value === null ? "Cleared: " + label + "." : "Saved: " + label + ", " + value + " out of 10.";
        })
        .catch(function () { status.textContent = "Not saved: check your connection and try again."; });
    });
  });

  // --- the hold timer --------------------------------------------------------------------

  var timer = root.querySelector("[data-timer]");
  if (!timer) return;
  var steps = Array.prototype.map.call(root.querySelectorAll("[data-steps] li"), function (item, index) {
    return {
      item: item,
      number: index + 1,
      text: item.querySelector(".step-text").textContent.trim(),
      hold: parseInt(item.dataset.hold, 10) || 0
    };
  });
  var holds = steps.filter(function (step) { return step.hold > 0; });
  if (!holds.length) return;
  timer.hidden = false;

  var getReady = parseInt(timer.dataset.getReady, 10) || 5;
  var phaseText = timer.querySelector("[data-timer-phase]");
  var clockText = timer.querySelector("[data-timer-clock]");
  var stepText = timer.querySelector("[data-timer-step]");
  var timerAnnouncer = timer.querySelector("[data-timer-announce]");
  var toggle = timer.querySelector("[data-timer-toggle]");
  var reset = timer.querySelector("[data-timer-reset]");

  var state = { phase: "idle", index: 0, remaining: 0, deadline: 0, running: false, warned: false };
  var ticker = null;
  var audio = null;
  var beeps = 0;

  function beep() {
    // A short tone at the end of each hold, so eyes can stay closed.
    if (!audio) return;
    try {
      var now = audio.currentTime;
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.0001, now);
      volume.gain.exponentialRampToValueAtTime(0.3, now + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start(now);
      tone.stop(now + 0.4);
      beeps += 1;
      timer.dataset.beeps = String(beeps);
    } catch (error) { /* no sound is no reason to stop the timer */ }
  }

  function highlight(step) {
    steps.forEach(function (each) {
      each.item.classList.toggle("current", each === step);
      if (each === step) each.item.setAttribute("aria-current", "step");
      else each.item.removeAttribute("aria-current");
    });
  }

  function render() {
    var step = holds[state.index];
    timer.dataset.phase = state.phase;
    if (state.phase === "idle") {
      phaseText.textContent = "Hold timer";
      clockText.textContent = clock(holds[0].hold);
      stepText.textContent = holds.length + (holds.length === 1 ? " hold" : " holds") + ", starting with step " + holds[0].number + ".";
    } else if (state.phase === "done") {
      phaseText.textContent = "All holds done";
      clockText.textContent = "0:00";
      stepText.textContent = "Well done. Rate how you feel below.";
    } else {
      phaseText.textContent = (state.phase === "ready" ? "Get ready" : "Hold") + (state.running ? "" : " (paused)");
      clockText.textContent = clock(state.remaining);
      stepText.textContent = "Step " + step.number + " of " + steps.length + ": " + step.text;
    }
    // The label says what a press does next; the phase is announced separately.
    if (state.running) toggle.textContent = "Pause";
    else toggle.textContent = state.phase === "idle" || state.phase === "done" ? "Start hold timer" : "Resume";
  }

  function enter(phase, index, lead) {
    state.phase = phase;
    state.index = index;
    state.warned = false;
    var step = holds[index];
    if (phase === "ready") {
      state.remaining = getReady;
      highlight(step);
      announce(timerAnnouncer, (lead || "") + "Get ready for step " + step.number + ": " + step.text);
    } else if (phase === "hold") {
      state.remaining = step.hold;
      announce(timerAnnouncer, "Hold for " + step.hold + " seconds.");
    }
    state.deadline = Date.now() + state.remaining * 1000;
    render();
  }

  function finishHold() {
    beep();
    if (state.index + 1 < holds.length) {
      enter("ready", state.index + 1, "Release. ");
    } else {
      stop();
      state.phase = "done";
      highlight(null);
      announce(timerAnnouncer, "Release. All holds done. Well done.");
      render();
    }
  }

  function tick() {
    state.remaining = Math.max(0, (state.deadline - Date.now()) / 1000);
    if (state.phase === "hold" && !state.warned && holds[state.index].hold >= 20 && state.remaining <= 10) {
      state.warned = true;
      announce(timerAnnouncer, "10 seconds left.");
    }
    if (state.remaining <= 0) {
      if (state.phase === "ready") enter("hold", state.index);
      else finishHold();
    } else {
      render();
    }
  }

  function start() {
    state.running = true;
    state.deadline = Date.now() + state.remaining * 1000;
    ticker = window.setInterval(tick, 200);
  }

  function stop() {
    state.running = false;
    if (ticker) window.clearInterval(ticker);
    ticker = null;
  }

  toggle.addEventListener("click", function () {
    // Browsers only allow sound after a tap; this is that tap.
    try {
      if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (error) { audio = null; }
    if (state.running) {
      stop();
      state.remaining = Math.max(0, (state.deadline - Date.now()) / 1000);
      announce(timerAnnouncer, "Paused.");
      render();
    } else if (state.phase === "idle" || state.phase === "done") {
      enter("ready", 0);
      start();
      render();
    } else {
      start();
      announce(timerAnnouncer, "Resumed.");
      render();
    }
  });

  reset.addEventListener("click", function () {
    stop();
    state.phase = "idle";
    state.index = 0;
    highlight(null);
    announce(timerAnnouncer, "Timer reset.");
    render();
  });

  render();
})();
