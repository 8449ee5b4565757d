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
const unitParam = { name: 'unitId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
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
    '/suggestions/{id}/handling': { get: { parameters: [idParam], summary: '办理记录 / assignments, contacts, replies, evaluations', responses: { '200': ok('handling record'), ...problemResponses } } },
    '/suggestions/{id}/assign': { post: { parameters: [idParam], summary: '交办 / assign (分办 or 主办+协办)', requestBody: { content: { 'application/json': { schema: { oneOf: [
      { type: 'object', required: ['mode', 'unitIds'], properties: { mode: { const: 'separate' }, unitIds: { type: 'array', items: { type: 'string', format: 'uuid' } } } },
      { type: 'object', required: ['mode', 'leadUnitId'], properties: { mode: { const: 'lead' }, leadUnitId: { type: 'string', format: 'uuid' }, coUnitIds: { type: 'array', items: { type: 'string', format: 'uuid' } } } },
    ] } } } }, responses: { '200': ok('new state'), ...problemResponses } } },
    '/suggestions/{id}/units/{unitId}/sign-in': { post: { parameters: [idParam, unitParam], summary: '签收 / sign in', responses: { '200': ok('unit state'), ...problemResponses } } },
    '/suggestions/{id}/units/{unitId}/contacts': { post: { parameters: [idParam, unitParam], summary: '沟通记录 / log a contact with the deputy', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['contactedOn', 'form', 'summary'], properties: { contactedOn: { type: 'string', format: 'date' }, form: { enum: ['面商', '电话', '座谈', '视察', '走访', '其他'] }, summary: { type: 'string' } } } } } }, responses: { '200': ok('unit state'), ...problemResponses } } },
    '/suggestions/{id}/units/{unitId}/reply': { post: { parameters: [idParam, unitParam], summary: '答复草稿 / draft the reply', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['category', 'body'], properties: { category: { enum: ['A', 'B', 'C', 'D'] }, body: { type: 'string' }, promisedDate: { type: 'string', format: 'date' }, explanation: { type: 'string' } } } } } }, responses: { '200': ok('unit state'), ...problemResponses } } },
    '/suggestions/{id}/units/{unitId}/reply/sign-off': { post: { parameters: [idParam, unitParam], summary: '签发 / the unit leader signs the reply off', responses: { '200': ok('unit state'), ...problemResponses } } },
    '/suggestions/{id}/units/{unitId}/reply/send': { post: { parameters: [idParam, unitParam], summary: '答复 / send the signed reply', responses: { '200': ok('unit state'), ...problemResponses } } },
    '/suggestions/{id}/units/{unitId}/opinion': { post: { parameters: [idParam, unitParam], summary: '协办意见 / a co-handler sends its opinion to the lead', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['body'], properties: { body: { type: 'string' } } } } } }, responses: { '200': ok('unit state'), ...problemResponses } } },
    '/suggestions/{id}/rate': { post: { parameters: [idParam], summary: '满意度测评 / rate the reply', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['rating'], properties: { rating: { enum: ['satisfied', 'basically_satisfied', 'unsatisfied'] }, comment: { type: 'string' } } } } } }, responses: { '200': ok('new state'), ...problemResponses } } },
    '/suggestions/{id}/consultation': { post: { parameters: [idParam], summary: '当面协商记录 / record the consultation after a second 不满意', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' } } } } } }, responses: { '200': ok('new state'), ...problemResponses } } },
    '/suggestions/{id}/withdraw': { post: { parameters: [idParam], summary: '撤回 / withdraw', responses: { '200': ok('new state'), ...problemResponses } } },
  },
} as const;
