"""The Python serving stack we replace (FastAPI + uvicorn serving the pickled scikit-learn model), for load tests only.

Run with Debian's interpreter: /usr/bin/python3 bench/python/serve.py model.pkl PORT
"""
import pickle
import sys

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

with open(sys.argv[1], "rb") as f:
    model = pickle.load(f)
app = FastAPI()


class Review(BaseModel):
    text: str


@app.post("/api/predict")
def predict(review: Review):
    probability = float(model.predict_proba([review.text])[0][1])
    return {"sentiment": "positive" if probability >= 0.5 else "negative", "probability": probability}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
