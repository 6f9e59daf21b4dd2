import { AwsError } from "../core/aws-error";

/** STS error shapes with AWS's codes, statuses and wording. */
export class ValidationError extends AwsError {
  constructor(message: string) {
    super("ValidationError", message, 400);
  }
}

export class InvalidParameterValue extends AwsError {
  constructor(message: string) {
    super("InvalidParameterValue", message, 400);
  }
}

export class AccessDenied extends AwsError {
  constructor(callerArn: string, action: string, resource: string) {
    super("AccessDenied", `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`, 403);
  }
}

export class InvalidAction extends AwsError {
  constructor(action: string, version: string) {
    super("InvalidAction", `Could not find operation ${action} for version ${version}`, 400);
  }
}

export class MissingAction extends AwsError {
  constructor() {
    super("MissingAction", "Missing Action", 400);
  }
}
