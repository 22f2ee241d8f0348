// The self-check quiz of a week's quiz page (book/_ext/self_check_quiz): judge an answer in the page, say whether it
// is right, and show the explanations. Everything it needs is in the page; it sends no request.
(function () {
  "use strict";

  // A number as a reader types it: "12", "-0.5", "1e-3", "260,100" (commas between thousands), spaces ignored.
  function readNumber(text) {
    let t = text.replace(/[\s_]/g, "");
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, "");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return NaN;
    return parseFloat(t);
  }

  // Within the question's tolerance, with room for float rounding as the grader allows.
  function near(value, key, tolerance) {
    return Math.abs(value - key) <= tolerance + 1e-9 * Math.max(1, Math.abs(key));
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function say(box, text, state) {
    const line = box.querySelector(".quiz-feedback");
    line.textContent = text;
    line.classList.remove("quiz-correct", "quiz-incorrect", "quiz-form");
    if (state) line.classList.add(state);
  }

  // Mark every choice as right or wrong, in words as well as colour, and open its reason.
  function markChoices(box, correct) {
    box.querySelectorAll(".quiz-choice").forEach(function (choice) {
      const letter = choice.querySelector("input").value;
      const right = correct.indexOf(letter) >= 0;
      choice.classList.add(right ? "quiz-right-choice" : "quiz-wrong-choice");
      const why = choice.querySelector(".quiz-why");
      if (why && !why.querySelector(".quiz-verdict")) {
        const verdict = document.createElement("strong");
        verdict.className = "quiz-verdict";
        verdict.textContent = right ? letter + " is a right choice. " : letter + " is a wrong choice. ";
        const first = why.querySelector("p") || why;
        first.insertBefore(verdict, first.firstChild);
      }
    });
  }

  function judgeChoices(box, data) {
    const inputs = Array.from(box.querySelectorAll(".quiz-choice input"));
    const chosen = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    if (chosen.length === 0) {
      say(box, data.kind === "single" ? "Choose one answer first." : "Tick the choices you think right first.", "quiz-form");
      return false;
    }
    const missed = data.correct.filter(function (l) { return chosen.indexOf(l) < 0; });
    const extra = chosen.filter(function (l) { return data.correct.indexOf(l) < 0; });
    if (missed.length === 0 && extra.length === 0) {
      say(box, data.kind === "single" ? "Right." : "Right: every right choice, and no other.", "quiz-correct");
    } else if (data.kind === "single") {
      say(box, "Not quite: " + chosen[0] + " is not the right choice. Why each choice is right or wrong is under it.", "quiz-incorrect");
    } else {
      say(box, "Not quite: you ticked " + plural(extra.length, "wrong choice") + " and left " +
        plural(missed.length, "right choice") + " unticked. Why each choice is right or wrong is under it.", "quiz-incorrect");
    }
    markChoices(box, data.correct);
    return true;
  }

  function judgeNumber(box, data) {
    const field = box.querySelector(".quiz-number input");
    const value = readNumber(field.value);
    if (isNaN(value)) {
      say(box, "Write a number, such as 12, 0.25 or -3 (digits and a decimal point, no units).", "quiz-form");
      return false;
    }
    if (near(value, data.answer, data.tolerance)) {
      say(box, "Right.", "quiz-correct");
      return true;
    }
    const slips = box.querySelectorAll(".quiz-wrong-why");
    const slip = data.wrong.findIndex(function (w) { return near(value, w, data.tolerance); });
    if (slip >= 0 && slips[slip]) {
      slips[slip].classList.add("quiz-shown");
      say(box, "Not quite: " + field.value.trim() + " comes from a common slip, explained below.", "quiz-incorrect");
    } else {
      say(box, "Not quite: " + field.value.trim() + " is not the answer, within the precision the question asks. " +
        "The explanation below works it out.", "quiz-incorrect");
    }
    return true;
  }

  function check(box, data) {
    const answered = data.kind === "single" || data.kind === "multiple" ? judgeChoices(box, data) : judgeNumber(box, data);
    if (!answered) return;
    box.classList.add("quiz-answered");
    box.querySelectorAll("input").forEach(function (i) { i.disabled = true; });
    box.querySelector(".quiz-check").disabled = true;
    box.querySelector(".quiz-retry").hidden = false;
  }

  function retry(box) {
    box.classList.remove("quiz-answered");
    box.querySelectorAll(".quiz-choice").forEach(function (c) { c.classList.remove("quiz-right-choice", "quiz-wrong-choice"); });
    box.querySelectorAll(".quiz-wrong-why").forEach(function (w) { w.classList.remove("quiz-shown"); });
    box.querySelectorAll("input").forEach(function (i) {
      i.disabled = false;
      if (i.type === "text") i.value = ""; else i.checked = false;
    });
    box.querySelector(".quiz-check").disabled = false;
    box.querySelector(".quiz-retry").hidden = true;
    say(box, "", null);
  }

  function start() {
    document.querySelectorAll(".self-check-quiz .quiz-question").forEach(function (box) {
      const data = JSON.parse(box.querySelector("script.quiz-data").textContent);
      box.querySelector(".quiz-retry").hidden = true;
      box.querySelector(".quiz-check").addEventListener("click", function () { check(box, data); });
      box.querySelector(".quiz-retry").addEventListener("click", function () { retry(box); });
      const field = box.querySelector(".quiz-number input");
      if (field) {
        field.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); check(box, data); }
        });
      }
      box.classList.add("quiz-ready");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
