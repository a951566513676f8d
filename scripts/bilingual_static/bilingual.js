/* The Korean edition's bilingual reading mode (scripts/bilingual.py, issue 28). No network, no library:
   it works from file://. Shows or hides every English twin (.dl-twin) by a class on <html>:
   - a toggle button (aria-pressed) beside the language switch at the top of the page;
   - the shortcut Alt+B (by the key's position, event.code, so it also works with the Korean IME on),
     written on the button (<kbd>) and announced with aria-keyshortcuts;
   - the choice is kept in localStorage where the browser allows it (not in every file:// setting).
   Glossary tooltips (.dl-term-tip) show on hover and focus by CSS alone; Escape hides an open one. */
(function () {
  "use strict";
  var KEY = "dlnotes-bilingual";
  var root = document.documentElement;

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function remember(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* not allowed here */ }
  }

  var button = null;
  function show(on) {
    root.classList.toggle("dl-bilingual", on);
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  function toggle() {
    var on = !root.classList.contains("dl-bilingual");
    show(on);
    remember(on);
  }

  // before the first paint: no flash of the other state
  show(remembered());

  function setUp() {
    if (!document.querySelector(".dl-twin")) { return; }  // a page without translated text
    button = document.createElement("button");
    button.type = "button";
    button.className = "dl-bilingual-toggle";
    button.setAttribute("aria-keyshortcuts", "Alt+B");
    button.title = "각 문단 아래에 영어 원문을 보이거나 숨깁니다 (Alt+B)";
    button.appendChild(document.createTextNode("영어 원문 보기"));
    var kbd = document.createElement("kbd");
    kbd.textContent = "Alt+B";
    button.appendChild(kbd);
    button.addEventListener("click", toggle);
    var where = document.querySelector(".dlnotes-language-switch");
    if (where) { where.appendChild(button); }
    else { document.querySelector(".bd-article, main, body").prepend(button); }
    show(root.classList.contains("dl-bilingual"));

    document.addEventListener("keydown", function (event) {
      if (event.code === "KeyB" && event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        toggle();
      } else if (event.key === "Escape") {
        document.querySelectorAll(".dl-term:hover, .dl-term:focus-within").forEach(function (term) {
          term.classList.add("dl-term-dismissed");
        });
      }
    });
    // a dismissed tooltip comes back the next time its term is pointed at or focused
    document.querySelectorAll(".dl-term").forEach(function (term) {
      var reset = function () { term.classList.remove("dl-term-dismissed"); };
      term.addEventListener("mouseleave", reset);
      term.addEventListener("focusout", reset);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); }
  else { setUp(); }
})();
