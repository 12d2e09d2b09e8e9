import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { createValidationPipe } from './validation.js';

class CabDto {
  @IsInt()
  @Min(1)
  @Max(99998)
  PtoVta: number;
}

class BodyDto {
  @ValidateNested()
  @Type(() => CabDto)
  FeCabReq: CabDto;

  @IsString()
  MonId: string;
}

async function problems(body: unknown) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: BodyDto });
  } catch (error) {
    if (error instanceof AppError)
      return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  return undefined;
}

describe('validation pipe', () => {
  it('names the full path of a nested field and the rule it broke', async () => {
    expect(await problems({ FeCabReq: { PtoVta: 100000 }, MonId: 'PES' })).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'FeCabReq.PtoVta must not be greater than 99998',
      details: [
        { field: 'FeCabReq.PtoVta', rule: 'max', message: 'FeCabReq.PtoVta must not be greater than 99998' },
      ],
    });
  });

  it('refuses unknown fields instead of dropping them', async () => {
    const result = await problems({ FeCabReq: { PtoVta: 1, PtoVenta: 1 }, MonId: 'PES', Extra: true });
    expect(result?.details).toHaveLength(2);
    expect(result?.details).toEqual(
      expect.arrayContaining([
        {
          field: 'FeCabReq.PtoVenta',
          rule: 'whitelistValidation',
          message: 'FeCabReq.PtoVenta is not a known field',
        },
        { field: 'Extra', rule: 'whitelistValidation', message: 'Extra is not a known field' },
      ]),
    );
  });

  it('lets a valid body through, converted to the DTO class', async () => {
    const value = await createValidationPipe().transform(
      { FeCabReq: { PtoVta: 1 }, MonId: 'PES' },
      { type: 'body', metatype: BodyDto },
    );
    expect(value).toBeInstanceOf(BodyDto);
    expect(value.FeCabReq).toBeInstanceOf(CabDto);
  });
});
