// WhatsApp's legacy international forms: numbers as WhatsApp registered them before a national
// plan changed, which it still sends as the chat's `refId` (and which CRMs copied from it). Each
// entry turns a legacy form into the current one (so both index and look up as one number) and
// back (so a SQL lookup also finds a row that stores the legacy digits). Sources: WhatsApp
// gateway documentation (green-api.com "features of sending and receiving messages from different
// countries", support.whapi.cloud "specifics of sending messages to numbers of different
// countries") and the reports in wwebjs/whatsapp-web.js#596, devlikeapro/waha#238,
// code-chat-br/whatsapp-api#107. Argentina's `549…` needs no entry: libphonenumber-js reads it,
// and the national `0 11 15 …`, as one number.

/** One country's legacy form, on E.164 digits (no `+`). */
interface LegacyForm {
  /** The current E.164 digits of a legacy form, or undefined when `digits` is not one. */
  toCurrent(digits: string): string | undefined;
  /** The legacy digits WhatsApp may still use for a current number, or undefined. */
  toLegacy(e164: string): string | undefined;
  /** Whether people also wrote the legacy form nationally (Brazil's eight digits did; Mexico's `1` was for calls from abroad). */
  national: boolean;
}

/** Ivory Coast (2021): 8 digits became 10, the operator's prefix in front; old mobiles by their second digit. */
const IVORIAN_PREFIX = ['01', '01', '01', '01', '05', '05', '05', '07', '07', '07'] as const;

const replace = (pattern: RegExp, build: (match: RegExpExecArray) => string) => (digits: string) => {
  const match = pattern.exec(digits);
  return match === null ? undefined : build(match);
};

const legacyForms: Readonly<Record<string, LegacyForm>> = {
  // Mexico (2019): mobiles were dialled `+52 1` + ten digits; the national plan dropped the `1`.
  '52': {
    toCurrent: replace(/^521(\d{10})$/, ([, rest]) => `52${rest}`),
    toLegacy: replace(/^52(\d{10})$/, ([, rest]) => `521${rest}`),
    national: false,
  },
  // Brazil (2012-2016): mobiles gained a ninth digit, a `9` after the area code; accounts made
  // before keep the eight-digit form (mobiles began with 6 to 9, landlines with 2 to 5).
  '55': {
    toCurrent: replace(/^55([1-9]{2})([6-9]\d{7})$/, ([, area, rest]) => `55${area}9${rest}`),
    toLegacy: replace(/^55([1-9]{2})9([6-9]\d{7})$/, ([, area, rest]) => `55${area}${rest}`),
    national: true,
  },
  // Ivory Coast (2021): `+225` + eight digits became ten, `01` (Moov), `05` (MTN) or `07`
  // (Orange) in front of a mobile number, chosen by its old second digit.
  '225': {
    toCurrent: replace(/^225([014-9])(\d)(\d{6})$/, ([, first, second, rest]) => `225${IVORIAN_PREFIX[Number(second)]}${first}${second}${rest}`),
    toLegacy: (e164) => {
      const match = /^225(0[157])([014-9](\d)\d{6})$/.exec(e164);
      return match !== null && IVORIAN_PREFIX[Number(match[3])] === match[1] ? `225${match[2]}` : undefined;
    },
    national: true,
  },
};

/** The calling codes with a legacy form (prefix-free, as all calling codes are). */
const CODES = Object.keys(legacyForms);

function formOf(digits: string): LegacyForm | undefined {
  for (const code of CODES) if (digits.startsWith(code)) return legacyForms[code];
  return undefined;
}

/** International digits (no `+`) with a legacy form turned into the current one; others as they are. */
export function currentForm(digits: string): string {
  return formOf(digits)?.toCurrent(digits) ?? digits;
}

/** The legacy digits of a current E.164 number and whether they were written nationally too, or undefined when its country has none for it. */
export function legacyForm(e164: string): { digits: string; national: boolean } | undefined {
  const form = formOf(e164);
  const digits = form?.toLegacy(e164);
  return digits === undefined ? undefined : { digits, national: (form as LegacyForm).national };
}
