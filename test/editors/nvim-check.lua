-- Headless Neovim (0.7+) check: opens each file given in ZFS_DIO_FILES (newline-separated) with the
-- zfs-dio language server attached the way docs/editors.md configures it (vim.lsp.start_client and
-- vim.lsp.buf_attach_client from a FileType autocmd), waits for the server's diagnostics, asks for a
-- hover on the first one, and writes "<file> <RULE>:<line>" lines (1-based) to ZFS_DIO_OUT.
local cli = os.getenv('ZFS_DIO_CLI')
local out_path = os.getenv('ZFS_DIO_OUT')
local root = os.getenv('ZFS_DIO_WORKSPACE')
local files = vim.split(os.getenv('ZFS_DIO_FILES') or '', '\n', { trimempty = true })
local lines, failures = {}, {}
local published = {}

local function fail(msg) table.insert(failures, msg) end

vim.cmd('filetype on')
local client_id = vim.lsp.start_client({
  name = 'zfs-dio',
  cmd = { 'node', cli, 'lsp', '--stdio' },
  root_dir = root,
  settings = { zfsDio = { debounceMs = 0 } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      published[result.uri] = true
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
if not client_id then fail('vim.lsp.start_client returned nil') end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'c', 'cpp', 'rust', 'go', 'python' },
  callback = function(args) vim.lsp.buf_attach_client(args.buf, client_id) end,
})

for _, file in ipairs(files) do
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  if not vim.wait(30000, function() return published[uri] end, 50) then
    fail('no diagnostics published for ' .. file .. ' (filetype ' .. vim.bo[buf].filetype .. ')')
  end
  local diags = vim.diagnostic.get(buf)
  for _, d in ipairs(diags) do
    local lsp = d.user_data and d.user_data.lsp or {}
    local code = d.code or lsp.code
    table.insert(lines, string.format('%s %s:%d', file, tostring(code), d.lnum + 1))
  end
  if #diags > 0 then
    local d = diags[1]
    local params = { textDocument = { uri = uri }, position = { line = d.lnum, character = d.col } }
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000) or {}
    local text = ''
    for _, r in pairs(responses) do
      if r.result and r.result.contents then text = text .. (r.result.contents.value or '') end
    end
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if not text:find('**' .. tostring(code) .. '**', 1, true) then fail('hover at ' .. file .. ':' .. (d.lnum + 1) .. ' lacks ' .. tostring(code) .. ': ' .. text) end
  end
end

local fh = assert(io.open(out_path, 'w'))
for _, l in ipairs(lines) do fh:write(l, '\n') end
for _, f in ipairs(failures) do fh:write('FAIL ', f, '\n') end
fh:close()
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.client_is_stopped(client_id) end, 50)
vim.cmd('qall!')
