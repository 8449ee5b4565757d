/** The OpenAPI document served at /api/openapi.json. Kept next to the routes it describes. */
const problem = { $ref: '#/components/schemas/Problem' };
const problemResponses = {
  '401': { description: '未登录 / not signed in', content: { 'application/problem+json': { schema: problem } } },
  '403': { description: '角色无权 / wrong role', content: { 'application/problem+json': { schema: problem } } },
  '404': { description: '未找到 / not found', content: { 'application/problem+json': { schema: problem } } },
  '409': { description: '状态不允许 / wrong state', content: { 'application/problem+json': { schema: problem } } },
  '422': { description: '输入有误 / invalid input', content: { 'application/problem+json': { schema: problem } } },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ok = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });

export const openapi = {
  openapi: '3.1.0',
  info: { title: '代表建议办理平台 API', version: '0.1.0', description: "Deputies' suggestion handling platform" },
  servers: [{ url: '/api' }],
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'jianyi_sid' } },
    schemas: {
      Problem: {
        type: 'object', required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' }, messageEn: { type: 'string' } } } },
        },
      },
      Suggestion: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' }, title: { type: 'string' }, content: { type: 'string' }, status: { type: 'string' },
          leadDeputyId: { type: 'string' }, leadDeputyName: { type: 'string' }, registrationNo: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' }, submittedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
  security: [{ session: [] }],
  paths: {
    '/auth/login': { post: { security: [], summary: '登录 / sign in', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } } } } }, responses: { '200': ok('signed in; sets the session cookie'), ...problemResponses } } },
    '/auth/logout': { post: { summary: '退出 / sign out', responses: { '204': { description: 'signed out' } } } },
    '/me': { get: { summary: '当前用户 / the signed-in user', responses: { '200': ok('user'), ...problemResponses } } },
    '/suggestions': {
      get: { summary: '建议列表 / suggestions visible to the caller', parameters: [{ name: 'status', in: 'query', schema: { type: 'string' } }, { name: 'page', in: 'query', schema: { type: 'integer' } }, { name: 'pageSize', in: 'query', schema: { type: 'integer', maximum: 200 } }], responses: { '200': ok('page of suggestions'), ...problemResponses } },
      post: { summary: '新建草稿 / create a draft', parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['title', 'content'], properties: { title: { type: 'string', maxLength: 200 }, content: { type: 'string', minLength: 10 } } } } } }, responses: { '201': ok('draft created', { $ref: '#/components/schemas/Suggestion' }), ...problemResponses } },
    },
    '/suggestions/{id}': { get: { parameters: [idParam], summary: '建议详情 / one suggestion', responses: { '200': ok('suggestion', { $ref: '#/components/schemas/Suggestion' }), ...problemResponses } } },
    '/suggestions/{id}/submit': { post: { parameters: [idParam], summary: '提交 / submit (starts the workflow)', responses: { '202': ok('accepted for processing'), ...problemResponses } } },
    '/suggestions/{id}/review': { post: { parameters: [idParam], summary: '预审 / pre-review decision', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['decision'], properties: { decision: { enum: ['accept', 'return', 'reject', 'convert'] }, comments: { type: 'string' }, reason: { type: 'string' } } } } } }, responses: { '200': ok('new state'), ...problemResponses } } },
    '/suggestions/{id}/resubmit': { post: { parameters: [idParam], summary: '修改后重新提交 / resubmit', responses: { '200': ok('new state'), ...problemResponses } } },
    '/suggestions/{id}/withdraw': { post: { parameters: [idParam], summary: '撤回 / withdraw', responses: { '200': ok('new state'), ...problemResponses } } },
  },
} as const;
