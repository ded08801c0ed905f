"use strict";
const $ = (id) => document.getElementById(id);
let currentMovie = null;
let nextCursor = null;

// What the API says, or an Error whose message a person can act on: the API's problem detail, or, when something in
// between (a proxy, a gateway) answered with a page instead of JSON, its status without the page's markup.
async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: { "Content-Type": "application/json", ...(options.headers || {}) } });
  } catch {
    throw new Error("The service cannot be reached; check your connection and try again.");
  }
  const json = (response.headers.get("Content-Type") || "").includes("json");
  const body = json ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const reason = body && (body.detail || body.title);
    throw new Error(reason || `The service answered ${response.status} ${response.statusText || ""}; try again in a moment.`.replace("  ", " "));
  }
  if (!json) throw new Error("The service answered with something other than JSON; try again in a moment.");
  return body;
}

function percent(value) { return `${Math.round(value * 100)}%`; }

function showError(id, message) {
  $(id).textContent = message;
  $(id).hidden = !message;
}

function busy(button, text) {
  const idle = button.textContent;
  button.disabled = true;
  button.textContent = text;
  return () => { button.disabled = false; button.textContent = idle; };
}

function scoreBadge(score) {
  const span = document.createElement("span");
  span.className = `score ${score.label}`;
  span.textContent = score.freshness === null ? "no reviews yet" : `${percent(score.freshness)} ${score.label}`;
  return span;
}

// The author of a review keeps its token (and the correction they gave) in this browser only.
const mine = {
  token: (id) => localStorage.getItem(`review-token:${id}`),
  remember: (id, token) => localStorage.setItem(`review-token:${id}`, token),
  correction: (id) => localStorage.getItem(`review-correction:${id}`),
  corrected: (id, label) => localStorage.setItem(`review-correction:${id}`, label),
};

async function loadModel() {
  try {
    const model = await api("/api/model");
    $("model-version").textContent = `Model Version: ${model.version}`;
  } catch (error) {
    $("model-version").textContent = `Model Version: unavailable (${error.message})`;
  }
}

async function loadMovies() {
  try {
    const movies = await api("/api/movies");
    showError("movies-error", "");
    $("movies-status").hidden = true;
    $("movies").replaceChildren(...movies.map((movie) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.movieId = movie.id;
      button.setAttribute("aria-pressed", String(movie.id === currentMovie));
      const title = document.createElement("span");
      title.className = "movie-title";
      title.textContent = movie.title;
      const meta = document.createElement("span");
      meta.textContent = ` ${movie.year} · ${movie.genre}`;
      button.append(title, meta, document.createElement("br"), scoreBadge(movie.score));
      button.addEventListener("click", () => showMovie(movie.id, true));
      item.append(button);
      return item;
    }));
  } catch (error) {
    $("movies-status").hidden = true;
    showError("movies-error", `The movies could not be loaded: ${error.message}`);
  }
}

async function showMovie(id, reveal) {
  const detail = $("movie-detail");
  detail.setAttribute("aria-busy", "true");
  document.querySelectorAll("#movies button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.movieId === String(id))));
  try {
    const movie = await api(`/api/movies/${id}`);
    currentMovie = movie.id;
    showError("movie-error", "");
    $("movie-title").textContent = movie.title;
    $("movie-meta").textContent = `${movie.year} · ${movie.genre} · ${movie.description}`;
    $("movie-score").replaceChildren(document.createTextNode("Freshness: "), scoreBadge(movie.score),
      document.createTextNode(` (${movie.score.positive} of ${movie.score.reviews} positive)`));
    $("reviews").replaceChildren(...movie.reviews.map(renderReview));
    nextCursor = movie.nextCursor;
    $("more-reviews").hidden = nextCursor === null;
  } catch (error) {
    showError("movie-error", `This movie could not be loaded: ${error.message}`);
  } finally {
    detail.hidden = false;
    detail.removeAttribute("aria-busy");
    if (reveal) {
      detail.scrollIntoView({ block: "start" });
      $("movie-title").focus({ preventScroll: true });
    }
  }
}

function renderReview(review) {
  const item = document.createElement("li");
  item.dataset.reviewId = review.id;
  const text = document.createElement("p");
  text.textContent = review.text;
  const meta = document.createElement("div");
  meta.className = "review-meta";
  const correction = mine.correction(review.id);
  const label = review.verifiedSentiment || correction || review.predictedSentiment;
  const badge = document.createElement("span");
  badge.className = `badge ${label}`;
  badge.textContent = label;
  const note = review.verifiedSentiment ? " verified by a moderator "
    : correction ? " you marked this review "
    : ` predicted (${percent(review.probability)} positive, model ${review.modelVersion}) `;
  meta.append(badge, document.createTextNode(note));
  const token = mine.token(review.id);
  if (token && !correction && !review.verifiedSentiment) {
    for (const choice of ["positive", "negative"]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "small";
      button.textContent = choice === label ? `✓ ${choice}` : `mark ${choice}`;
      button.setAttribute("aria-label", `Mark your review as ${choice}`);
      button.addEventListener("click", async () => {
        const done = busy(button, "saving…");
        try {
          await api(`/api/reviews/${review.id}/feedback`, {
            method: "POST", headers: { "X-Review-Token": token }, body: JSON.stringify({ sentiment: choice }),
          });
          mine.corrected(review.id, choice);
          showError("review-error", "");
          item.replaceWith(renderReview(review));
        } catch (error) {
          done();
          showError("review-error", `Your correction was not saved: ${error.message}`);
        }
      });
      meta.append(button);
    }
  }
  item.append(text, meta);
  return item;
}

$("predict-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const done = busy($("predict-button"), "Predicting…");
  showError("predict-error", "");
  $("prediction").hidden = true;
  $("prediction-status").textContent = "";
  try {
    const result = await api("/api/predict", { method: "POST", body: JSON.stringify({ text: $("review-text").value }) });
    $("prediction-label").textContent = result.sentiment;
    $("prediction-label").className = `badge ${result.sentiment}`;
    $("prediction-probability").textContent = percent(result.probability);
    $("prediction-bar").style.width = percent(result.probability);
    $("prediction-model").textContent = result.model.version;
    $("prediction").hidden = false;
    $("prediction-status").textContent = `Predicted ${result.sentiment}, ${percent(result.probability)} positive.`;
  } catch (error) {
    showError("predict-error", error.message);
  } finally {
    done();
  }
});

$("review-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const done = busy($("review-button"), "Posting…");
  showError("review-error", "");
  try {
    const posted = await api(`/api/movies/${currentMovie}/reviews`, { method: "POST", body: JSON.stringify({ text: $("movie-review").value }) });
    mine.remember(posted.review.id, posted.authorToken);
    $("movie-review").value = "";
    await showMovie(currentMovie, false);
    await loadMovies();
  } catch (error) {
    showError("review-error", `Your review was not posted: ${error.message}`);
  } finally {
    done();
  }
});

$("more-reviews").addEventListener("click", async () => {
  const done = busy($("more-reviews"), "Loading…");
  try {
    const page = await api(`/api/movies/${currentMovie}?cursor=${nextCursor}`);
    $("reviews").append(...page.reviews.map(renderReview));
    nextCursor = page.nextCursor;
    $("more-reviews").hidden = nextCursor === null;
  } catch (error) {
    showError("movie-error", `Older reviews could not be loaded: ${error.message}`);
  } finally {
    done();
  }
});

fetch("/openapi/v1.json").then((r) => { $("docs-link").hidden = !r.ok; }, () => {});
loadModel();
loadMovies();
