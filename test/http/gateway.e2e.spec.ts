import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe('gateway over HTTP (health, docs, metrics, errors)', () => {
  let gateway: TestGateway;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    gateway = await startTestGateway();
    http = request(gateway.app.getHttpServer());
  });
  afterAll(() => gateway.close());

  it('answers liveness without touching the database', async () => {
    await http.get('/health/live').expect(200, { status: 'ok' });
  });

  it("is ready when its database answers and ARCA's FEDummy says OK, and says so per check", async () => {
    const response = await http.get('/health/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.database.status).toBe('up');
    expect(response.body.info.arca).toMatchObject({
      status: 'up',
      AppServer: 'OK',
      DbServer: 'OK',
      AuthServer: 'OK',
    });
  });

  it('has applied the migrations to the database it was given', async () => {
    const rows = await gateway.db.query(
      'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(rows.rows[0].n).toBeGreaterThan(0);
  });

  it('publishes a valid OpenAPI 3 document, titled and versioned, with every operation described', async () => {
    const response = await http.get('/docs-json').expect(200);
    const document = response.body;
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({
      title: 'arca-gateway',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    const operations = Object.values(
      document.paths as Record<string, Record<string, { summary?: string }>>,
    ).flatMap((path) => Object.values(path));
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const operation of operations) expect(operation.summary).toBeTruthy();
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await http.get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger-ui');
  });

  it('exposes process and HTTP metrics in Prometheus text format, labelled by route', async () => {
    await http.get('/health/live').expect(200);
    await http.get('/no/such/route/123').expect(404);
    const response = await http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toMatch(/^arca_process_cpu_user_seconds_total \d/m);
    expect(response.text).toMatch(/^arca_nodejs_heap_size_used_bytes \d/m);
    expect(response.text).toMatch(
      /arca_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\} [1-9]/,
    );
    expect(response.text).toMatch(
      /arca_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/,
    );
    expect(response.text).not.toContain('/no/such/route/123');
  });

  it('keeps /metrics for whoever holds METRICS_TOKEN when it is set', async () => {
    const token = 'scrape-token-' + 'x'.repeat(20);
    const guarded = await startTestGateway({ METRICS_TOKEN: token });
    try {
      const scrape = request(guarded.app.getHttpServer());
      const refused = await scrape.get('/metrics').expect(401);
      expect(refused.body).toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('METRICS_TOKEN'),
      });
      await scrape.get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
      await scrape.get('/metrics').set('Authorization', token).expect(401);
      const allowed = await scrape.get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      expect(allowed.text).toMatch(/^arca_process_cpu_user_seconds_total \d/m);
      await scrape.get('/health/live').expect(200);
    } finally {
      await guarded.close();
    }
  });

  it('answers an unknown route with the one error body, its request id matching the header', async () => {
    const response = await http.get('/v1/nothing').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /v1/nothing',
      requestId: response.headers['x-request-id'],
    });
    expect(response.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the caller's X-Request-Id when it is sane and replaces it when it is not", async () => {
    const kept = await http.get('/health/live').set('X-Request-Id', 'pos-17.branch-3:42');
    expect(kept.headers['x-request-id']).toBe('pos-17.branch-3:42');
    const replaced = await http.get('/health/live').set('X-Request-Id', 'x'.repeat(65));
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses malformed JSON with a 400 in the same shape, before any handler runs', async () => {
    const response = await http
      .post('/v1/anything')
      .set('Content-Type', 'application/json')
      .send('{"Auth": ')
      .expect(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      code: 'BAD_REQUEST',
      requestId: response.headers['x-request-id'],
    });
    expect(response.body.message).toMatch(/JSON/);
  });

  it('refuses a body over the limit with 413', async () => {
    const response = await http
      .post('/v1/anything')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }))
      .expect(413);
    expect(response.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});
