import { AwsError } from "../core/aws-error";

/** Service Catalog's error shapes (all HTTP 400 in its JSON 1.1 model) and the common AWS ones it returns. */
export class InvalidParametersException extends AwsError {
  constructor(message: string) {
    super("InvalidParametersException", message);
  }
}

export class ResourceNotFoundException extends AwsError {
  constructor(message: string) {
    super("ResourceNotFoundException", message);
  }
}

export class DuplicateResourceException extends AwsError {
  constructor(message: string) {
    super("DuplicateResourceException", message);
  }
}

export class ResourceInUseException extends AwsError {
  constructor(message: string) {
    super("ResourceInUseException", message);
  }
}

export class InvalidStateException extends AwsError {
  constructor(message: string) {
    super("InvalidStateException", message);
  }
}

export class AccessDeniedException extends AwsError {
  constructor(callerArn: string, action: string, detail = `because no identity-based policy allows the ${action} action`) {
    super("AccessDeniedException", `User: ${callerArn} is not authorized to perform: ${action} ${detail}`);
  }
}

export class UnknownOperationException extends AwsError {
  constructor() {
    super("UnknownOperationException", "");
  }
}

export class ValidationException extends AwsError {
  constructor(message: string) {
    super("ValidationException", message);
  }
}
