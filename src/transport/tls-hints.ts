// OpenSSL's verify codes for a chain that ends at no CA Node.js trusts: a self-signed
// certificate, or one signed by a company's own (private) CA.
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).hostname.replace(/^\[(.*)\]$/, '$1') : 'the host');

/**
 * What to do about a TLS certificate a client refused, by the error's `code`, for `url` (the
 * URL asked for, whose host the certificate must name): `undefined` for any other error.
 */
export function tlsErrorHint(code: string | undefined, url: string): string | undefined {
  if (code === undefined) return undefined;
  if (UNTRUSTED.has(code)) {
    return (
      "The connector's TLS certificate is signed by a CA that Node.js does not trust (self-signed, or a private CA). " +
      "Start check with that CA's certificate: NODE_EXTRA_CA_CERTS=/path/to/ca.pem priority-routing-crm check …; " +
      'Hybrid Chat, a Node.js service, needs the same variable to reach the connector.'
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const host = hostOf(url);
    return (
      `The connector's TLS certificate is trusted, but the certificate is not issued for ${host} (the host in the URL). ` +
      `Use a host name the certificate lists (its subjectAltName) in the URLs, or give the connector a certificate for ${host}.`
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return "The connector's TLS certificate is outside its validity dates: renew it (or check this machine's clock).";
  }
  return undefined;
}

/**
 * What to do about a request that never reached the connector, where the error says more than
 * "is it running?": a refused TLS certificate ({@link tlsErrorHint}), or a port that Node.js's
 * fetch will not call (the ports browsers block, such as 1, 6000 or 10080: undici says "bad port").
 */
export function unreachableHint(code: string | undefined, message: string, url: string): string | undefined {
  const tls = tlsErrorHint(code, url);
  if (tls !== undefined) return tls;
  if (/\bbad port\b/.test(message)) {
    const port = URL.canParse(url) ? new URL(url).port : '';
    return `Node.js's fetch refuses to call port ${port || 'this port'} (one of the ports browsers block, such as 1, 6000 or 10080), whatever listens there: serve the connector on another port.`;
  }
  return undefined;
}
