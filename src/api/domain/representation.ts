// The Domain API's answers (spec §1.1) as the clients read them: `.baseURI` of the
// one-service form, `baseURIs[]` of the all-services form, `ResultSet.lpData[].lpServer`
// of the JS SDK's JSONP lookup. Every service a client asks for lives on this server.
import type { Doc } from '../codecs/tree.ts';

/** The services listed by the all-services form: those the known clients look up (spec §1.1). */
export const KNOWN_SERVICES = ['adminArea', 'agentVep', 'conversationVep', 'smt'] as const;

function entry(account: string, service: string, host: string): Record<string, string> {
  return { service, account, baseURI: host };
}

/**
 * One service. The JSON form has no root element (`{"service","account","baseURI"}`); XML
 * needs one, and takes the name of the Login response's csdsCollectionResponse, singular.
 */
export function oneService(account: string, service: string, host: string): Doc {
  return { csdsResponse: entry(account, service, host) };
}

/** Every service: JSON `{"baseURIs":[…]}` (always a list), XML `<csdsCollectionResponse>`. */
export function allServices(account: string, host: string): Doc {
  return { csdsCollectionResponse: { baseURIs: KNOWN_SERVICES.map((s) => entry(account, s, host)) } };
}

/** The JSONP answer of the JS SDK's getSiteDomain; an empty lpData makes it report "unable to resolve site domain". */
export function lpCsds(host: string | null): { ResultSet: { lpData: { lpServer: string }[] } } {
  return { ResultSet: { lpData: host === null ? [] : [{ lpServer: host }] } };
}
