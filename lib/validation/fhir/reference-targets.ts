/**
 * Reference target types from the StructureDefinitions: `ExplanationOfBenefit.patient` is
 * Reference(Patient), so "Organization/1" there is wrong whatever the resource says. The type is read
 * from a literal reference (Type/id, or a RESTful URL ending so) or, for a local reference (#id), from
 * the contained resource; a reference that names no resource type of the release (urn:uuid:…, an
 * identifier, a URL such as http://hl7.org/fhir/Profile/Patient) is left alone.
 */
import { isJsonObject, truncateValue, type JsonObject } from '../violation.js';
import type { ChildElement, Definitions, TypeInfo } from './definitions.js';
import type { FhirRelease } from './release.js';
import { schemaRuleFields } from './schema-rules.js';
import type { Check, Cursor } from './walk.js';

const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;


export class ReferenceTargets implements Check {
  constructor(
    private readonly release: FhirRelease,
    private readonly definitions: Definitions,
  ) {}

  complex(node: JsonObject, type: TypeInfo, element: ChildElement | undefined, at: Cursor): void {
    const targets = element?.targets;
    if (!targets || type.name !== 'Reference' || typeof node.reference !== 'string') return;
    const reference = node.reference;
    let named: string | undefined;
    if (reference.startsWith('#')) {
      const contained = Array.isArray(at.scope.resource.contained) ? at.scope.resource.contained : [];
      const target = contained.find((candidate: unknown) => isJsonObject(candidate) && candidate.id === reference.slice(1));
      named = isJsonObject(target) && typeof target.resourceType === 'string' ? target.resourceType : undefined;
    } else {
      named = LITERAL.exec(reference)?.[1];
    }
    if (named === undefined || targets.has(named) || !this.definitions.allResourceTypes.has(named)) return;
    at.report(
      {
        ...schemaRuleFields(this.release, 'reference-target'),
        rule: `${this.release.label} schema: reference target type`,
        value: truncateValue(reference),
        message: `${element.definitionPath} may reference ${[...targets].join(' or ')}, not ${named}`,
      },
      'reference',
    );
  }
}
