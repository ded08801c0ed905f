"use strict";
const $ = (id) => document.getElementById(id);
let currentMovie = null;

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { "Content-Type": "application/json" }, ...options });
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(body && (body.detail || body.title) || `HTTP ${response.status}`);
  return body;
}

function percent(value) { return `${Math.round(value * 100)}%`; }

function scoreBadge(score) {
  const span = document.createElement("span");
  span.className = `score ${score.label}`;
  span.textContent = score.freshness === null ? "no reviews yet" : `${percent(score.freshness)} ${score.label}`;
  return span;
}

async function loadModel() {
  try {
    const model = await api("/api/model");
    $("model-version").textContent = `Model Version: ${model.version}`;
  } catch (error) {
    $("model-version").textContent = `Model Version: unavailable (${error.message})`;
  }
}

async function loadMovies() {
  const movies = await api("/api/movies");
  const list = $("movies");
  list.replaceChildren(...movies.map((movie) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.movieId = movie.id;
    const title = document.createElement("span");
    title.className = "movie-title";
    title.textContent = movie.title;
    const meta = document.createElement("span");
    meta.textContent = ` ${movie.year} · ${movie.genre}`;
    button.append(title, meta, document.createElement("br"), scoreBadge(movie.score));
    button.addEventListener("click", () => showMovie(movie.id));
    item.append(button);
    return item;
  }));
}

async function showMovie(id) {
  const movie = await api(`/api/movies/${id}`);
  currentMovie = movie.id;
  $("movie-detail").hidden = false;
  $("movie-title").textContent = movie.title;
  $("movie-meta").textContent = `${movie.year} · ${movie.genre} · ${movie.description}`;
  $("movie-score").replaceChildren(document.createTextNode("Freshness: "), scoreBadge(movie.score),
    document.createTextNode(` (${movie.score.positive} of ${movie.score.reviews} positive)`));
  $("reviews").replaceChildren(...movie.reviews.map(renderReview));
}

function renderReview(review) {
  const item = document.createElement("li");
  item.dataset.reviewId = review.id;
  const text = document.createElement("p");
  text.textContent = review.text;
  const meta = document.createElement("div");
  meta.className = "review-meta";
  const label = review.verifiedSentiment || review.predictedSentiment;
  const badge = document.createElement("span");
  badge.className = `badge ${label}`;
  badge.textContent = label;
  meta.append(badge, document.createTextNode(
    review.verifiedSentiment ? " confirmed by you " : ` predicted (${percent(review.probability)} positive, model ${review.modelVersion}) `));
  for (const choice of ["positive", "negative"]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = choice === label ? `✓ ${choice}` : `mark ${choice}`;
    button.setAttribute("aria-label", `Mark review as ${choice}`);
    button.addEventListener("click", async () => {
      await api(`/api/reviews/${review.id}/feedback`, { method: "POST", body: JSON.stringify({ sentiment: choice }) });
      await showMovie(currentMovie);
      await loadMovies();
    });
    meta.append(button);
  }
  item.append(text, meta);
  return item;
}

$("predict-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("predict-button");
  button.disabled = true;
  $("predict-error").hidden = true;
  try {
    const result = await api("/api/predict", { method: "POST", body: JSON.stringify({ text: $("review-text").value }) });
    $("prediction").hidden = false;
    $("prediction-label").textContent = result.sentiment;
    $("prediction-label").className = `badge ${result.sentiment}`;
    $("prediction-probability").textContent = percent(result.probability);
    $("prediction-bar").style.width = percent(result.probability);
    $("prediction-model").textContent = result.model.version;
  } catch (error) {
    $("predict-error").textContent = error.message;
    $("predict-error").hidden = false;
  } finally {
    button.disabled = false;
  }
});

$("review-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("review-error").hidden = true;
  try {
    await api(`/api/movies/${currentMovie}/reviews`, { method: "POST", body: JSON.stringify({ text: $("movie-review").value }) });
    $("movie-review").value = "";
    await showMovie(currentMovie);
    await loadMovies();
  } catch (error) {
    $("review-error").textContent = error.message;
    $("review-error").hidden = false;
  }
});

loadModel();
loadMovies();
