-- Posts a different real-length review on each request; the bodies come from a data file the
-- benchmark script writes into a temp folder (never committed): one JSON body per line.
local bodies = {}
local file = os.getenv("WRK_BODIES")
for line in io.lines(file) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[i])
end
