-- wrk script: sends "Authorization: Bearer <token>" on every request. With TOKENS naming a file of tokens (one a
-- line), each wrk thread walks its own slice of the file, so no token is sent twice until the slice runs out.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end

local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local first, last, i
function init(args)
  local threads = tonumber(os.getenv("THREADS") or "1")
  local per = math.floor(#tokens / threads)
  first = id * per + 1
  last = first + per - 1
  if per == 0 then first, last = 1, #tokens end
  i = first - 1
end

function request()
  i = i + 1
  if i > last then i = first end
  return wrk.format("GET", os.getenv("WRK_PATH"), { ["Authorization"] = "Bearer " .. tokens[i] })
end
