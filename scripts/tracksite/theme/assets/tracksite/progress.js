/* tracksite progress: "Mark lesson complete" on a lesson page, the track page's and the home
   page's progress bars, and a tick on every lesson listed (track page, sidebar). Stored in this
   browser only; uses the helpers widgets.js shares (window.tracksite). */
(() => {
  "use strict";
  const { load, save, forget, h, $$, liveRegion, say, widget, onPage, t } = window.tracksite;

  /* ---- progress: lesson pages, track page, home page ---- */
  const PROGRESS = "tracksite:progress";
  const renders = [];  /* [root, render]: a root an update in place (serve) removed is skipped */
  const doneMap = () => load(PROGRESS, {});

  function progress(root) {
    const id = root.dataset.lesson;
    const toggle = root.querySelector(".ts-progress__toggle");
    const status = root.querySelector(".ts-progress__status");
    if (!id || !toggle) return;
    toggle.hidden = false;
    const render = (announce) => {
      const done = doneMap()[id] === true;
      toggle.setAttribute("aria-pressed", done ? "true" : "false");
      toggle.textContent = t(done ? "completedUndo" : "markComplete");
      root.classList.toggle("is-done", done);
      if (announce && status) {
        say(status, t(done ? "markedComplete" : "markedNotComplete"));
      }
    };
    toggle.addEventListener("click", () => {
      const map = doneMap();
      if (map[id] === true) delete map[id];
      else map[id] = true;
      save(PROGRESS, map);
      render(true);
      markLessons();
    });
    render(false);
    renders.push([root, () => render(false)]);
  }

  const summarise = (root, lessons) => {
    const map = doneMap();
    let done = 0, minutes = 0, total = 0;
    for (const [id, min] of lessons) {
      total += min;
      if (map[id] === true) { done++; minutes += min; }
    }
    const summary = root.querySelector(".ts-progress__summary");
    const bar = root.querySelector("progress");
    const text = t("pSummary", { done, n: lessons.length, minutes, total });
    if (summary) summary.textContent = text;
    if (bar) {
      bar.hidden = false;
      bar.max = Math.max(lessons.length, 1);
      bar.value = done;
      if (!bar.hasAttribute("aria-label") && !bar.hasAttribute("aria-labelledby")) {
        bar.setAttribute("aria-label", t("lessonsDone"));
      }
      bar.setAttribute("aria-valuetext", text);
    }
    return map;
  };
  const minutesOf = (node) => Number(node.dataset.minutes) || 0;

  /* every lesson entry on the page (track listing, sidebar): a tick and "completed" */
  const markLessons = () => {
    const map = doneMap();
    for (const li of $$(document, "li[data-lesson], li[data-nav-lesson]")) {
      const done = map[li.dataset.lesson || li.dataset.navLesson] === true;
      li.classList.toggle("is-done", done);
      const title = li.querySelector("h2, h3, h4") || li.querySelector("a") || li;
      const badge = title.querySelector(".ts-progress__done");
      if (done && !badge) {
        title.append(h("span", { class: "ts-progress__done" }, h("span", { "aria-hidden": "true" }, " \u2713"),
          h("span", { class: "ts-sr" }, t("pCompleted"))));
      } else if (!done && badge) badge.remove();
    }
  };

  function track(root) {
    const slug = root.dataset.track;
    if (!slug) return;
    const lessons = new Map();
    for (const li of $$(document, "li[data-lesson]")) {
      const id = li.dataset.lesson;
      if (id.startsWith(slug + "/")) lessons.set(id, Math.max(lessons.get(id) || 0, minutesOf(li)));
    }
    const reset = root.querySelector("[data-progress-reset]");
    const render = () => {
      const map = summarise(root, Array.from(lessons));
      const done = Array.from(lessons.keys()).filter((id) => map[id] === true).length;
      if (reset) reset.hidden = done === 0;
      markLessons();
    };
    if (reset) {
      const label = reset.textContent;
      let armed = false;
      const disarm = () => { armed = false; reset.textContent = label; };
      const live = liveRegion();
      root.append(live);
      reset.addEventListener("click", () => {
        if (!armed) {
          armed = true;
          reset.textContent = t("pConfirm");
          say(live, t("pConfirmSay"));
          return;
        }
        const map = doneMap();
        for (const id of Object.keys(map)) if (id.startsWith(slug + "/")) delete map[id];
        save(PROGRESS, map);
        disarm();
        render();
        const resume = document.querySelector("[data-continue-track] a");
        if (resume) resume.focus();  /* the reset button hides itself at no progress */
        say(live, t("pResetDone"));
      });
      reset.addEventListener("blur", disarm);
    }
    render();
    renders.push([root, render]);
  }

  function home(root) {
    let lessons = [];
    try {
      lessons = Object.entries(JSON.parse(root.dataset.lessons || "{}")).map(([id, m]) => [id, Number(m) || 0]);
    } catch (e) {
      lessons = [];
    }
    if (!lessons.length) lessons = $$(root, "[data-lesson]").map((n) => [n.dataset.lesson, minutesOf(n)]);
    const render = () => summarise(root, lessons);
    render();
    renders.push([root, render]);
  }

  window.addEventListener("storage", (e) => {
    if (e.key && e.key !== window.tracksite.key(PROGRESS)) return;  /* storage names it with the course's namespace */
    forget(PROGRESS);
    renders.forEach(([root, render]) => { if (root.isConnected) render(); });
    markLessons();
  });

  onPage(markLessons);
  widget("progress", progress);
  widget("progress-track", track);
  widget("progress-home", home);
})();
