"use strict";
// The page talks only to this origin's API; no inline script runs (the security headers forbid it).
const seeds = [];
const $ = (id) => document.getElementById(id);

function item(text, buttonText, onClick) {
  const li = document.createElement("li");
  li.textContent = text + " ";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = buttonText;
  button.addEventListener("click", onClick);
  li.append(button);
  return li;
}

function renderSeeds() {
  $("seeds").replaceChildren(...seeds.map((s, i) => item(s, "remove", () => { seeds.splice(i, 1); renderSeeds(); })));
  $("recommend").disabled = seeds.length === 0;
}

async function search() {
  const text = $("search").value.trim();
  const response = await fetch(`/api/tracks?limit=10&search=${encodeURIComponent(text)}`);
  const body = await response.json();
  $("matches").replaceChildren(...body.tracks.map((t) => item(t, "add", () => {
    if (!seeds.includes(t)) { seeds.push(t); renderSeeds(); }
  })));
}

async function recommend() {
  $("status").textContent = "";
  const response = await fetch("/api/recommend", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ tracks: seeds, count: 10 }),
  });
  const body = await response.json();
  if (!response.ok) {
    $("status").textContent = body.detail || "The request failed.";
    return;
  }
  $("results").replaceChildren(...body.recommendations.map((r) => {
    const li = document.createElement("li");
    li.textContent = r.lift > 0
      ? `${r.track} (confidence ${(r.confidence * 100).toFixed(0)}%, lift ${r.lift.toFixed(1)})`
      : `${r.track} (popular)`;
    return li;
  }));
}

$("search").addEventListener("input", search);
$("recommend").addEventListener("click", recommend);
search();
