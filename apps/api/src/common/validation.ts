import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, type ErrorDetail } from './app-error.js';

/**
 * DTO validation for every endpoint: unknown fields are refused (not silently dropped) and each problem is
 * reported with the field's full path and the rule it broke.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const summary = details.map((detail) => detail.message).join('; ');
      return new AppError('VALIDATION_FAILED', summary || 'invalid request', details);
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message:
        rule === 'whitelistValidation'
          ? `${field} is not a known field`
          : message.replace(error.property, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
