/**
 * The sandbox's behaviour seams. Every BB2 rule the sandbox enforces is a named function in one of
 * these objects, and the normal code path calls it through here. A fault mode (the self-test) replaces
 * exactly one function with a faulty variant; nothing else in the code knows faults exist.
 */
import { defaultFhirBehaviour, type FhirBehaviour } from './fhir/behaviour.js';
import { defaultOAuthBehaviour, type OAuthBehaviour } from './oauth/behaviour.js';

export interface Behaviour {
  readonly oauth: OAuthBehaviour;
  readonly fhir: FhirBehaviour;
}

export type BehaviourOverrides = {
  readonly oauth?: Partial<OAuthBehaviour>;
  readonly fhir?: Partial<FhirBehaviour>;
};

export function createBehaviour(overrides: BehaviourOverrides = {}): Behaviour {
  return {
    oauth: { ...defaultOAuthBehaviour, ...overrides.oauth },
    fhir: { ...defaultFhirBehaviour, ...overrides.fhir },
  };
}
