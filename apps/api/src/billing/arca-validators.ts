import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNumber,
  IsObject,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { parseYyyymmdd } from '#libs/afip-wsfe';

// Decorators for ARCA's field formats, so every DTO states a rule once and reports it in the same words.

/** A field ARCA requires: its absence (or null) is reported as such, before any format rule. */
export function Required(): PropertyDecorator {
  return IsDefined({ message: ({ property }) => `${property} is required` });
}

/** ARCA's amounts (`double` in the WSDL): at most 13 integer digits and 2 decimals, never negative. */
export function IsArcaAmount(decimals = 2): PropertyDecorator {
  return applyDecorators(
    Required(),
    IsNumber(
      { allowNaN: false, allowInfinity: false, maxDecimalPlaces: decimals },
      { message: ({ property }) => `${property} must be a number with at most ${decimals} decimals` },
    ),
    Min(0),
    Max(9_999_999_999_999.99, {
      message: ({ property }) => `${property} must have at most 13 integer digits`,
    }),
  );
}

/**
 * An integer in [min, max] (ARCA's `int`, `short` and `long` fields with their business ranges); `each` for
 * every item of an array.
 */
export function IsIntIn(min: number, max: number, options: { each?: boolean } = {}): PropertyDecorator {
  const message = ({ property }: ValidationArguments) =>
    `${property} must ${options.each ? 'hold integers' : 'be an integer'} from ${min} to ${max}`;
  const rule = { message, each: options.each };
  return applyDecorators(IsInt(rule), Min(min, rule), Max(max, rule));
}

/** A real calendar date written `yyyymmdd`, as ARCA writes every date. */
export function IsYyyymmdd(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isYyyymmdd',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseYyyymmdd(value) !== undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a date written yyyymmdd (e.g. 20250705)`,
      },
    });
}

/**
 * ARCA's repeated elements (`FECAEDetRequest`, `AlicIva`, `Tributo` ...) as JSON: one object or an array of
 * them, the way the request format of the service this gateway replaces sends them. Always an array after
 * validation.
 */
export function OneOrMany(type: () => new () => object, max: number): PropertyDecorator {
  return applyDecorators(
    Type(type),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) || value === undefined || value === null ? value : [value],
    ),
    IsArray({ message: ({ property }) => `${property} must be an object or an array of objects` }),
    ArrayMinSize(1),
    ArrayMaxSize(max),
    IsObject({
      each: true,
      message: ({ property }) => `${property} must be an object or an array of objects`,
    }),
    ValidateNested({ each: true }),
  );
}

/** A nested object of a DTO type: an array, a string or a number in its place is refused by name. */
export function Nested(type: () => new () => object): PropertyDecorator {
  return applyDecorators(
    Type(type),
    IsObject({ message: ({ property }) => `${property} must be an object` }),
    ValidateNested(),
  );
}
