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
