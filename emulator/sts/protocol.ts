import type { Principal } from "../core/identity";
import { readList, readStructList, type QueryParams } from "../core/query-codec";
import { InvalidAction, MissingAction } from "./errors";
import type { StsBackend } from "./state";

/** STS over the Query protocol: maps form parameters to the backend and names the XML result. */
export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
export const STS_VERSION = "2011-06-15";

type Handler = (backend: StsBackend, caller: Principal, params: QueryParams) => unknown;

const HANDLERS: Record<string, Handler> = {
  GetCallerIdentity: (backend, caller) => backend.getCallerIdentity(caller),
  AssumeRole: (backend, caller, params) =>
    backend.assumeRole(caller, {
      RoleArn: params.get("RoleArn"),
      RoleSessionName: params.get("RoleSessionName"),
      DurationSeconds: params.get("DurationSeconds"),
      ExternalId: params.get("ExternalId"),
      SourceIdentity: params.get("SourceIdentity"),
      Policy: params.get("Policy"),
      Tags: readStructList(params, "Tags"),
      TransitiveTagKeys: readList(params, "TransitiveTagKeys"),
    }),
};

/** The operation a request names, checked before authentication the way AWS does. */
export function stsAction(params: QueryParams): string {
  const action = params.get("Action");
  if (!action) throw new MissingAction();
  if (!(action in HANDLERS)) throw new InvalidAction(action, params.get("Version") ?? STS_VERSION);
  return action;
}

export function handleSts(backend: StsBackend, caller: Principal, action: string, params: QueryParams): unknown {
  return HANDLERS[action]!(backend, caller, params);
}
