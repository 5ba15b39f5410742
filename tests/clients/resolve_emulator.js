// Test-only preload (node --require): resolve the emulator's host names to 127.0.0.1.
//
// SLS clients address a project as <project>.<endpoint-host>. Against a local emulator such a
// name resolves nowhere, and editing /etc/hosts needs root. This script wraps dns.lookup, which
// Node's http and net modules call for every connection, so that
//   * any name ending in ".127.0.0.1" (endpoint "127.0.0.1:PORT"), and
//   * any name in SLS_EMULATOR_HOSTS (comma-separated, e.g. "sls.local") or a sub-domain of one
// resolves to 127.0.0.1; every other name goes to the real resolver.
'use strict';
const dns = require('dns');

const suffixes = ['127.0.0.1'].concat(
  (process.env.SLS_EMULATOR_HOSTS || '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)
);

function isEmulatorHost(hostname) {
  const name = String(hostname).toLowerCase().replace(/\.$/, '');
  return suffixes.some((suffix) => name === suffix || name.endsWith('.' + suffix));
}

const realLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  } else if (typeof options === 'number') {
    options = { family: options };
  }
  if (!isEmulatorHost(hostname)) {
    return realLookup.call(dns, hostname, options, callback);
  }
  const address = { address: '127.0.0.1', family: 4 };
  process.nextTick(() => {
    if (options && options.all) {
      callback(null, [address]);
    } else {
      callback(null, address.address, address.family);
    }
  });
  return {};
};
