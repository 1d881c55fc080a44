-- POST kiosk answers as the kiosk page does (JSON, device cookie, X-Kiosk-Key header).
-- Each request has a distinct client id; answered_at moves on by BENCH_SPACING_MS per
-- kiosk, so the minimum interval and the hourly limit are respected and every answer
-- must be stored (201). The kiosks are split over wrk's threads, each owning its own.
-- BENCH_KIOSKS = "token:key,token:key,..."; BENCH_NONCE = 8 hex digits per run.
local threads = {}
UNSUR = '{"U1":4,"U2":3,"U3":4,"U4":4,"U5":3,"U6":4,"U7":4,"U8":3,"U9":4}'

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  counter = 0
  nonce = os.getenv("BENCH_NONCE")
  base_ms = tonumber(os.getenv("BENCH_BASE_MS"))
  spacing = tonumber(os.getenv("BENCH_SPACING_MS"))
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  mine = {}
  local i = 0
  for entry in string.gmatch(os.getenv("BENCH_KIOSKS"), "[^,]+") do
    local token, key = entry:match("([^:]+):([^:]+)")
    if i % nthreads == tid then
      table.insert(mine, {token = token, key = key, seq = 0})
    end
    i = i + 1
  end
  path = wrk.path
end

function request()
  counter = counter + 1
  local k = mine[((counter - 1) % #mine) + 1]
  k.seq = k.seq + 1
  local id = string.format("%s-%04x-4000-8000-%012x", nonce, tid, counter)
  local at = string.format("%.0f", base_ms + k.seq * spacing)
  local body = '{"id":"' .. id .. '","face":' .. (counter % 4 + 1) ..
    ',"answered_at":' .. at .. ',"unsur":' .. UNSUR .. '}'
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "kios_perangkat=" .. k.token,
    ["X-Kiosk-Key"] = k.key,
    ["User-Agent"] = "kinerja-bench-kiosk",
  }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("STATUS %d %d\n", status, n))
  end
end
