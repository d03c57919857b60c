/** The placeholder Hybrid Chat replaces with the phone number in `CIM_CUSTOMER_QUERY_URL`. */
export const REF_ID_PLACEHOLDER = '{refId}';

/**
 * Puts `phone` into a customer query URL template the way Hybrid Chat does: as it is, not
 * URL-encoded, so `+923001234567` is sent as `query=phone:+923001234567`.
 *
 * @example
 * ```ts
 * fillCustomerUrl('http://crm/cim/customer?query=phone:{refId}', '+923001234567');
 * // 'http://crm/cim/customer?query=phone:+923001234567'
 * ```
 */
export function fillCustomerUrl(template: string, phone: string): string {
  // A function replacement, so that `$&` or `$1` in a phone number stays literal.
  return template.replaceAll(REF_ID_PLACEHOLDER, () => phone);
}
