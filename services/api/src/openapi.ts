/** The OpenAPI document served at /api/openapi.json. Kept next to the routes it describes. */
const problem = { $ref: '#/components/schemas/Problem' };
const problemResponses = {
  '401': {
    description: '未登录 / not signed in',
    content: { 'application/problem+json': { schema: problem } },
  },
  '403': {
    description: '角色无权 / wrong role',
    content: { 'application/problem+json': { schema: problem } },
  },
  '404': { description: '未找到 / not found', content: { 'application/problem+json': { schema: problem } } },
  '409': {
    description: '状态不允许 / wrong state',
    content: { 'application/problem+json': { schema: problem } },
  },
  '422': {
    description: '输入有误 / invalid input',
    content: { 'application/problem+json': { schema: problem } },
  },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const unitParam = { name: 'unitId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ok = (description: string, schema: object = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});

const listParameters = [
  {
    name: 'status',
    in: 'query',
    description: '状态,可多选,逗号分隔 / one or more statuses, comma-separated (or repeated)',
    schema: { type: 'string', example: 'assigned,handling' },
    explode: false,
    style: 'form',
  },
  {
    name: 'unitId',
    in: 'query',
    description: '承办单位(任一轮交办) / unit assigned in any round',
    schema: { type: 'string', format: 'uuid' },
  },
  {
    name: 'deputyId',
    in: 'query',
    description: '领衔代表或联名代表 / lead deputy or co-signer',
    schema: { type: 'string', format: 'uuid' },
  },
  {
    name: 'town',
    in: 'query',
    description: '领衔代表所在镇(街道) / town of the lead deputy',
    schema: { type: 'string', maxLength: 50 },
  },
  {
    name: 'sessionYear',
    in: 'query',
    description: '届次年度 / session year',
    schema: { type: 'integer', minimum: 1949, maximum: 9999 },
  },
  { name: 'topic', in: 'query', description: '主题分类 / topic', schema: { type: 'string', maxLength: 32 } },
  {
    name: 'overdue',
    in: 'query',
    description: '是否逾期 / overdue flag or a unit past its deadline without reply/opinion',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
  {
    name: 'key',
    in: 'query',
    description: '重点督办 / key supervision',
    schema: { type: 'string', enum: ['true', 'false'] },
  },
  {
    name: 'q',
    in: 'query',
    description: '关键词(标题、内容、立案号) / keyword in title, content, registration number',
    schema: { type: 'string', maxLength: 100 },
  },
  {
    name: 'sort',
    in: 'query',
    description: '排序字段 / sort field (NULLs last, ties broken by id)',
    schema: {
      type: 'string',
      enum: ['createdAt', 'submittedAt', 'deadlineAt', 'registrationNo', 'updatedAt'],
      default: 'createdAt',
    },
  },
  {
    name: 'order',
    in: 'query',
    description: '排序方向 / sort direction',
    schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
  },
  {
    name: 'page',
    in: 'query',
    description: '页码 / page number',
    schema: { type: 'integer', minimum: 1, maximum: 1000000, default: 1 },
  },
  {
    name: 'pageSize',
    in: 'query',
    description: '每页条数 / page size',
    schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
  },
];

const pageParam = { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } };
const pageSizeParam = {
  name: 'pageSize',
  in: 'query',
  schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
};
const statsParameters = [
  {
    name: 'by',
    in: 'query',
    description: '分组 / group by',
    schema: { type: 'string', enum: ['unit', 'town', 'session'], default: 'unit' },
  },
  { name: 'sessionYear', in: 'query', description: '届次年度 / session year', schema: { type: 'integer' } },
  {
    name: 'unitId',
    in: 'query',
    description: '承办单位 / unit (forced to their own for unit users)',
    schema: { type: 'string', format: 'uuid' },
  },
  {
    name: 'town',
    in: 'query',
    description: '镇(街道) / town of the lead deputy',
    schema: { type: 'string' },
  },
];

export const openapi = {
  openapi: '3.1.0',
  info: {
    title: '代表建议办理平台 API',
    version: '0.1.0',
    description: "Deputies' suggestion handling platform",
  },
  servers: [{ url: '/api' }],
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'jianyi_sid' } },
    schemas: {
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                field: { type: 'string' },
                message: { type: 'string' },
                messageEn: { type: 'string' },
              },
            },
          },
        },
      },
      NotificationPage: {
        type: 'object',
        required: ['items', 'total', 'unread'],
        properties: {
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                eventId: { type: 'string', format: 'uuid' },
                eventType: { type: 'string' },
                suggestionId: { type: ['string', 'null'], format: 'uuid' },
                title: { type: 'string' },
                body: { type: 'string' },
                createdAt: { type: 'string', format: 'date-time' },
                readAt: { type: ['string', 'null'], format: 'date-time' },
              },
            },
          },
          total: { type: 'integer' },
          unread: { type: 'integer' },
        },
      },
      Preferences: {
        type: 'object',
        required: ['email', 'channels', 'digest'],
        additionalProperties: false,
        properties: {
          email: { type: ['string', 'null'], format: 'email', maxLength: 200 },
          channels: {
            type: 'object',
            required: ['in_app', 'email', 'webhook'],
            additionalProperties: false,
            properties: { in_app: { const: true }, email: { type: 'boolean' }, webhook: { type: 'boolean' } },
          },
          digest: { type: 'boolean', description: '每日到期提醒邮件 / daily digest email (unit users)' },
        },
      },
      Points: {
        type: 'object',
        required: ['deputyId', 'total', 'entries'],
        properties: {
          deputyId: { type: 'string', format: 'uuid' },
          total: { type: 'integer' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                eventId: { type: 'string', format: 'uuid' },
                rule: { type: 'string' },
                points: { type: 'integer' },
                suggestionId: { type: ['string', 'null'], format: 'uuid' },
                createdAt: { type: 'string', format: 'date-time' },
                reason: { type: 'string' },
              },
            },
          },
        },
      },
      Suggestion: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          title: { type: 'string' },
          content: { type: 'string' },
          status: { type: 'string' },
          leadDeputyId: { type: 'string' },
          leadDeputyName: { type: 'string' },
          registrationNo: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
          submittedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
  security: [{ session: [] }],
  paths: {
    '/auth/login': {
      post: {
        security: [],
        summary: '登录 / sign in',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['username', 'password'],
                properties: { username: { type: 'string' }, password: { type: 'string' } },
              },
            },
          },
        },
        responses: { '200': ok('signed in; sets the session cookie'), ...problemResponses },
      },
    },
    '/auth/logout': {
      post: { summary: '退出 / sign out', responses: { '204': { description: 'signed out' } } },
    },
    '/me': {
      get: {
        summary: '当前用户 / the signed-in user',
        responses: { '200': ok('user'), ...problemResponses },
      },
    },
    '/suggestions': {
      get: {
        summary: '建议列表 / suggestions visible to the caller, filtered, sorted and paginated',
        parameters: listParameters,
        responses: {
          '200': ok('page of suggestions: { items, total, page, pageSize }'),
          ...problemResponses,
        },
      },
      post: {
        summary: '新建草稿 / create a draft',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['title', 'content'],
                properties: {
                  title: { type: 'string', maxLength: 200 },
                  content: { type: 'string', minLength: 10 },
                },
              },
            },
          },
        },
        responses: {
          '201': ok('draft created', { $ref: '#/components/schemas/Suggestion' }),
          ...problemResponses,
        },
      },
    },
    '/suggestions/{id}': {
      get: {
        parameters: [idParam],
        summary: '建议详情 / one suggestion',
        responses: {
          '200': ok('suggestion', { $ref: '#/components/schemas/Suggestion' }),
          ...problemResponses,
        },
      },
      patch: {
        parameters: [idParam],
        summary:
          '修改草稿 / edit a draft (lead deputy; title, content, topic, co-signers replaced when given)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['title', 'content'],
                properties: {
                  title: { type: 'string', maxLength: 200 },
                  content: { type: 'string', minLength: 10 },
                  topic: { type: 'string' },
                  cosignerDeputyIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
                },
              },
            },
          },
        },
        responses: { '200': ok('the draft'), ...problemResponses },
      },
    },
    '/suggestions/{id}/submit': {
      post: {
        parameters: [idParam],
        summary: '提交 / submit (starts the workflow)',
        responses: { '202': ok('accepted for processing'), ...problemResponses },
      },
    },
    '/suggestions/{id}/review': {
      post: {
        parameters: [idParam],
        summary: '预审 / pre-review decision',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['decision'],
                properties: {
                  decision: { enum: ['accept', 'return', 'reject', 'convert'] },
                  comments: { type: 'string' },
                  reason: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { '200': ok('new state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/resubmit': {
      post: {
        parameters: [idParam],
        summary: '修改后重新提交 / resubmit',
        responses: { '200': ok('new state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/handling': {
      get: {
        parameters: [idParam],
        summary: '办理记录 / assignments, contacts, replies, evaluations',
        responses: { '200': ok('handling record'), ...problemResponses },
      },
    },
    '/suggestions/{id}/assign': {
      post: {
        parameters: [idParam],
        summary: '交办 / assign (分办 or 主办+协办)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  {
                    type: 'object',
                    required: ['mode', 'unitIds'],
                    properties: {
                      mode: { const: 'separate' },
                      unitIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
                    },
                  },
                  {
                    type: 'object',
                    required: ['mode', 'leadUnitId'],
                    properties: {
                      mode: { const: 'lead' },
                      leadUnitId: { type: 'string', format: 'uuid' },
                      coUnitIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
                    },
                  },
                ],
              },
            },
          },
        },
        responses: { '200': ok('new state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/sign-in': {
      post: {
        parameters: [idParam, unitParam],
        summary: '签收 / sign in',
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/contacts': {
      post: {
        parameters: [idParam, unitParam],
        summary: '沟通记录 / log a contact with the deputy',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['contactedOn', 'form', 'summary'],
                properties: {
                  contactedOn: { type: 'string', format: 'date' },
                  form: { enum: ['面商', '电话', '座谈', '视察', '走访', '其他'] },
                  summary: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/reply': {
      post: {
        parameters: [idParam, unitParam],
        summary: '答复草稿 / draft the reply',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['category', 'body'],
                properties: {
                  category: { enum: ['A', 'B', 'C', 'D'] },
                  body: { type: 'string' },
                  promisedDate: { type: 'string', format: 'date' },
                  explanation: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/reply/sign-off': {
      post: {
        parameters: [idParam, unitParam],
        summary: '签发 / the unit leader signs the reply off',
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/reply/send': {
      post: {
        parameters: [idParam, unitParam],
        summary: '答复 / send the signed reply',
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/opinion': {
      post: {
        parameters: [idParam, unitParam],
        summary: '协办意见 / a co-handler sends its opinion to the lead',
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['body'], properties: { body: { type: 'string' } } },
            },
          },
        },
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/rate': {
      post: {
        parameters: [idParam],
        summary: '满意度测评 / rate the reply',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['rating'],
                properties: {
                  rating: { enum: ['satisfied', 'basically_satisfied', 'unsatisfied'] },
                  comment: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { '200': ok('new state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/consultation': {
      post: {
        parameters: [idParam],
        summary: '当面协商记录 / record the consultation after a second 不满意',
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' } } },
            },
          },
        },
        responses: { '200': ok('new state'), ...problemResponses },
      },
    },
    '/suggestions/bulk-assign': {
      post: {
        summary: '批量交办 / assign many items at once (交办会); one result per item',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['items'],
                properties: {
                  items: {
                    type: 'array',
                    maxItems: 1000,
                    items: {
                      type: 'object',
                      required: ['id', 'assignment'],
                      properties: {
                        id: { type: 'string', format: 'uuid' },
                        assignment: { type: 'object', description: 'as in /suggestions/{id}/assign' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': ok('{ total, assigned, results: [{ id, ok, status?, problem? }] }'),
          ...problemResponses,
        },
      },
    },
    '/suggestions/{id}/units/{unitId}/follow-up': {
      post: {
        parameters: [idParam, unitParam],
        summary: '跟踪办理 / the unit reports on its B/C reply; final closes the follow-up',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['report', 'final'],
                properties: { report: { type: 'string' }, final: { type: 'boolean' } },
              },
            },
          },
        },
        responses: { '200': ok('state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/urge': {
      post: {
        parameters: [idParam],
        summary: '催办 / urge the handling units',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['note'],
                properties: { note: { type: 'string' }, unitId: { type: 'string', format: 'uuid' } },
              },
            },
          },
        },
        responses: { '200': ok('state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/withhold-publication': {
      post: {
        parameters: [idParam],
        summary:
          '不予公开 / the reviewer marks the item confidential (涉密) or the lead deputy objects to publishing the reply; before closure',
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } },
            },
          },
        },
        responses: { '200': ok('state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/reply/return': {
      post: {
        parameters: [idParam, unitParam],
        summary: "退回重办 / the reviewer sends the unit's reply back before it is rated",
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } },
            },
          },
        },
        responses: { '200': ok('state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/progress-report': {
      post: {
        parameters: [idParam, unitParam],
        summary: "重点督办进展 / the handling unit's progress report for the current period of a key item",
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' } } },
            },
          },
        },
        responses: { '200': ok('state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/key-supervision': {
      post: {
        parameters: [idParam],
        summary: '重点督办 / put under key supervision',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { supervisingLeaderId: { type: 'string', format: 'uuid' } },
              },
            },
          },
        },
        responses: { '200': ok('state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/requests': {
      post: {
        parameters: [idParam, unitParam],
        summary: '申请调整 / 申请延期 — a unit asks for re-assignment or an extension',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['kind', 'reason'],
                properties: {
                  kind: { enum: ['reassignment', 'extension'] },
                  reason: { type: 'string' },
                  amount: {
                    type: 'object',
                    properties: {
                      amount: { type: 'number' },
                      unit: { enum: ['working_days', 'calendar_days', 'months', 'hours', 'seconds'] },
                    },
                  },
                },
              },
            },
          },
        },
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/suggestions/{id}/units/{unitId}/requests/decision': {
      post: {
        parameters: [idParam, unitParam],
        summary: '审批申请 / the reviewer decides a request',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['approve'],
                properties: {
                  approve: { type: 'boolean' },
                  note: { type: 'string' },
                  newUnitId: { type: 'string', format: 'uuid' },
                },
              },
            },
          },
        },
        responses: { '200': ok('unit state'), ...problemResponses },
      },
    },
    '/admin/calendar': {
      get: {
        summary: '工作日历 / calendar overrides of one year (admin)',
        parameters: [
          {
            name: 'year',
            in: 'query',
            schema: { type: 'integer', minimum: 2000, maximum: 2100 },
            description: 'default: the current year (China time)',
          },
        ],
        responses: {
          '200': ok(
            '{ year, seeded, seededYears, state: official|provisional|missing, years: [{ year, state, source, loadedAt }], days: [{ day, kind: holiday|workday|normal, name, source: chinese-days|admin, updatedBy, updatedAt }] }',
          ),
          ...problemResponses,
        },
      },
    },
    '/admin/calendar/seed': {
      post: {
        summary:
          '导入法定节假日 / seed holidays and make-up working days from chinese-days; admin rows are kept (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['fromYear', 'toYear'],
                properties: {
                  fromYear: { type: 'integer', minimum: 2000, maximum: 2100 },
                  toYear: { type: 'integer', minimum: 2000, maximum: 2100 },
                },
              },
            },
          },
        },
        responses: {
          '200': ok('{ coverage: { from, to }, years, missing, inserted, updated, removed, keptAdmin }'),
          ...problemResponses,
        },
      },
    },
    '/admin/calendar/years/{year}': {
      put: {
        summary:
          '载入某年节假日安排 / load a year from the State Council notice: holidays and make-up working days (JSON lists or CSV), validated, in one transaction; running clocks counted through the year are re-planned (admin)',
        parameters: [
          {
            name: 'year',
            in: 'path',
            required: true,
            schema: { type: 'integer', minimum: 2000, maximum: 2100 },
          },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  holidays: {
                    type: 'array',
                    maxItems: 366,
                    items: {
                      oneOf: [
                        { type: 'string', format: 'date' },
                        {
                          type: 'object',
                          required: ['date'],
                          properties: {
                            date: { type: 'string', format: 'date' },
                            name: { type: 'string', maxLength: 50 },
                          },
                        },
                      ],
                    },
                  },
                  workdays: {
                    type: 'array',
                    maxItems: 366,
                    description: 'make-up working days (Saturdays/Sundays), as holidays',
                  },
                  csv: {
                    type: 'string',
                    description: 'one day a line: date,kind(休|班|holiday|workday),name',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': ok('{ year, state: official, holidays, workdays, replanned }'),
          ...problemResponses,
        },
      },
    },
    '/admin/calendar/{day}': {
      put: {
        summary: '调整某日 / make a day a holiday, a working day, or ordinary again (admin)',
        parameters: [{ name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['kind'],
                properties: {
                  kind: { enum: ['holiday', 'workday', 'normal'] },
                  name: { type: 'string', maxLength: 50 },
                },
              },
            },
          },
        },
        responses: {
          '200': ok('{ day, kind, row } (row null when the weekday/weekend rule applies)'),
          ...problemResponses,
        },
      },
    },
    '/admin/policies': {
      get: {
        summary: '办理规则列表 / jurisdiction policies and the one in force (admin)',
        responses: {
          '200': ok(
            '{ inForce, items: [{ key, id, version, name, description, jurisdiction: { level, name, code }, effectiveFrom, testOnly, inForce }] }',
          ),
          ...problemResponses,
        },
      },
    },
    '/admin/policy': {
      get: {
        summary: '现行办理规则 / the policy in force (admin)',
        responses: { '200': ok('{ policyKey, chosen, chosenBy, chosenAt, policy }'), ...problemResponses },
      },
      put: {
        summary: '选择办理规则 / put a policy in force; unknown and test-only policies are refused (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['policyKey'],
                properties: { policyKey: { type: 'string', examples: ['national-default@2026.1'] } },
              },
            },
          },
        },
        responses: {
          '200': ok('{ policyKey, chosen, chosenBy, chosenAt, choiceId, policy }'),
          ...problemResponses,
        },
      },
    },
    '/admin/units': {
      get: {
        summary: '承办单位列表 / handling units (admin)',
        responses: { '200': ok('{ items: [{ id, code, name, createdAt }] }'), ...problemResponses },
      },
      post: {
        summary: '新建承办单位 / create a unit; a taken code is 409 (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['code', 'name'],
                properties: {
                  code: { type: 'string', maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' },
                  name: { type: 'string', maxLength: 100 },
                },
              },
            },
          },
        },
        responses: { '201': ok('{ id, code, name, createdAt }'), ...problemResponses },
      },
    },
    '/admin/users': {
      get: {
        summary: '用户列表 / user accounts, never with password hashes (admin)',
        parameters: [
          {
            name: 'role',
            in: 'query',
            schema: {
              enum: [
                'deputy',
                'reviewer',
                'coordinator',
                'unit_handler',
                'unit_leader',
                'supervisor',
                'admin',
              ],
            },
          },
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string' },
            description: 'part of the username or display name',
          },
          { name: 'page', in: 'query', schema: { type: 'integer' } },
          { name: 'pageSize', in: 'query', schema: { type: 'integer', maximum: 200 } },
        ],
        responses: {
          '200': ok(
            '{ items: [{ id, username, displayName, role, deputyId, unitId, email, active, createdAt }], total, page, pageSize }',
          ),
          ...problemResponses,
        },
      },
      post: {
        summary:
          '新建用户 / create an account (argon2id); unit roles need unitId, deputies need deputyId; a taken username is 409 (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['username', 'password', 'displayName', 'role'],
                properties: {
                  username: { type: 'string', minLength: 3, maxLength: 64 },
                  password: { type: 'string', minLength: 8, maxLength: 200 },
                  displayName: { type: 'string', maxLength: 50 },
                  role: {
                    enum: [
                      'deputy',
                      'reviewer',
                      'coordinator',
                      'unit_handler',
                      'unit_leader',
                      'supervisor',
                      'admin',
                    ],
                  },
                  deputyId: { type: ['string', 'null'], format: 'uuid' },
                  unitId: { type: ['string', 'null'], format: 'uuid' },
                  email: { type: ['string', 'null'], format: 'email' },
                },
              },
            },
          },
        },
        responses: { '201': ok('the user, without the password hash'), ...problemResponses },
      },
    },
    '/admin/users/{id}': {
      patch: {
        parameters: [idParam],
        summary:
          '修改用户 / change role, name, links or active; an admin cannot deactivate or demote themselves (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                minProperties: 1,
                properties: {
                  active: { type: 'boolean' },
                  role: {
                    enum: [
                      'deputy',
                      'reviewer',
                      'coordinator',
                      'unit_handler',
                      'unit_leader',
                      'supervisor',
                      'admin',
                    ],
                  },
                  displayName: { type: 'string', maxLength: 50 },
                  deputyId: { type: ['string', 'null'], format: 'uuid' },
                  unitId: { type: ['string', 'null'], format: 'uuid' },
                },
              },
            },
          },
        },
        responses: { '200': ok('the user, without the password hash'), ...problemResponses },
      },
    },
    '/suggestions/{id}/timeline': {
      get: {
        parameters: [idParam],
        summary:
          '办理轨迹 / every step of the item in order (from its events: type, actor, role, time, unit, details), with contacts, co-handler opinions, replies (a deputy sees only sent ones), evaluations, unit requests, and the open deadlines in working days (level normal | yellow | red); same visibility as GET /suggestions/{id}',
        responses: {
          '200': ok(
            '{ suggestion (with cosigners, keySupervision, round), today, steps: [{ seq, eventId, type, occurredAt, actor: { userId, name, role }, unitId, unitName, from, to, details }], assignments, deadlines: [{ scope: unit|item, unitId, unitName, role, round, deadlineAt, deadlineDate, workingDaysLeft, overdue, level }], contacts, opinions, replies, evaluations, requests }',
          ),
          ...problemResponses,
        },
      },
    },
    '/deadline-preview': {
      get: {
        summary:
          '交办期限预览 / deadlines an assignment made now would get (re-assignment window, co-handler opinion, reply), in working days (reviewer, coordinator)',
        responses: {
          '200': ok(
            '{ policyKey, from, today, reassignmentRequest, coHandlerOpinion, reply: { deadlineAt, deadlineDate, workingDays, duration } }',
          ),
          ...problemResponses,
        },
      },
    },
    '/unit-inbox': {
      get: {
        summary:
          "承办单位收件箱 / the caller's unit's parts (latest round) with status and deadline in working days (unit handlers and leaders)",
        responses: {
          '200': ok(
            '{ items: [{ id, title, status, registrationNo, leadDeputyName, role, round, assignmentStatus, assignedAt, signedInAt, deadlineAt, requestPending, deadline: { deadlineDate, workingDaysLeft, overdue, level } | null }], total }',
          ),
          ...problemResponses,
        },
      },
    },
    '/directory/units': {
      get: {
        summary: '承办单位名录 / handling units (any signed-in user)',
        responses: { '200': ok('{ items: [{ id, code, name }] }'), ...problemResponses },
      },
    },
    '/directory/deputies': {
      get: {
        summary:
          '代表名录 / deputies for choosing co-signers (deputies, reviewer, coordinator, supervisor, admin)',
        responses: { '200': ok('{ items: [{ id, name, town, level }] }'), ...problemResponses },
      },
    },
    '/unit-requests': {
      get: {
        summary:
          "调整/延期申请 / units' requests: all for the reviewer, coordinator, supervisor, admin; a unit's own for its people",
        parameters: [
          {
            name: 'status',
            in: 'query',
            schema: { enum: ['pending', 'approved', 'refused', 'all'], default: 'pending' },
          },
        ],
        responses: {
          '200': ok(
            '{ items: [{ id, suggestionId, title, registrationNo, unitId, unitName, round, kind, reason, requested, status, createdAt }], total }',
          ),
          ...problemResponses,
        },
      },
    },
    '/suggestions/{id}/withdraw': {
      post: {
        parameters: [idParam],
        summary: '撤回 / withdraw',
        responses: { '200': ok('new state'), ...problemResponses },
      },
    },
    // ---- statistics, supervision, exports (stats.routes.ts, export.routes.ts) ----
    '/stats': {
      get: {
        summary:
          '办理统计 / counts and rates (办结率, 按时办结率, 见面率, 沟通率, 满意率, 基本满意率, 解决率) by unit, town or session; overseers see all, a unit only itself',
        parameters: statsParameters,
        responses: {
          '200': ok(
            '{ by, filter, definitions, rows: [{ key, label, assigned, closed, onTime, replied, met, contacted, evaluated, satisfied, basicallySatisfied, solved, solvedAB, closedRate, onTimeRate, meetingRate, contactRate, satisfiedRate, basicallySatisfiedRate, solvedRate, solvedABRate }], total }',
          ),
          ...problemResponses,
        },
      },
    },
    '/stats/items': {
      get: {
        summary: '统计明细 / the items behind one row of the statistics (drill-down)',
        parameters: [
          ...statsParameters,
          {
            name: 'key',
            in: 'query',
            description: '分组值(单位 id、镇名或届次年度) / the row key',
            schema: { type: 'string' },
          },
          pageParam,
          pageSizeParam,
        ],
        responses: {
          '200': ok(
            '{ items: [{ id, title, status, registrationNo, leadDeputyName, town, sessionYear, closed, onTime, replied, met, contacted, solved, rating, units }], total, page, pageSize }',
          ),
          ...problemResponses,
        },
      },
    },
    '/supervision/overdue': {
      get: {
        summary: '逾期件 / open items past a unit deadline (urge with POST /suggestions/{id}/urge)',
        parameters: [
          { name: 'unitId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          pageParam,
          pageSizeParam,
        ],
        responses: {
          '200': ok(
            '{ items: [{ id, title, status, registrationNo, leadDeputyName, town, sessionYear, keySupervision, deadlineAt, overdue, units, urgeCount, lastUrgedAt }], total, page, pageSize }',
          ),
          ...problemResponses,
        },
      },
    },
    '/supervision/at-risk': {
      get: {
        summary: '临期件 / open items due within N working days (working-day calendar), not yet overdue',
        parameters: [
          {
            name: 'days',
            in: 'query',
            description: '工作日数 / working days',
            schema: { type: 'integer', minimum: 1, maximum: 120, default: 5 },
          },
          { name: 'unitId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          pageParam,
          pageSizeParam,
        ],
        responses: { '200': ok('as /supervision/overdue, plus days'), ...problemResponses },
      },
    },
    '/exports/assignment-list.xlsx': {
      get: {
        summary: '导出交办清单 / the assignment list (交办清单) as .xlsx; filters like the list',
        parameters: listParameters.filter((p) =>
          ['status', 'unitId', 'town', 'sessionYear', 'overdue', 'key', 'q'].includes(p.name),
        ),
        responses: {
          '200': {
            description: 'xlsx workbook',
            content: {
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', format: 'binary' },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    '/exports/stats.xlsx': {
      get: {
        summary: '导出统计表 / the statistics table as .xlsx, with a sheet of the definitions (口径说明)',
        parameters: statsParameters,
        responses: {
          '200': {
            description: 'xlsx workbook',
            content: {
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', format: 'binary' },
              },
            },
          },
          ...problemResponses,
        },
      },
    },
    // ---- public replies, no login (public.routes.ts) ----
    '/public/replies': {
      get: {
        security: [],
        summary:
          '公开答复 / published, non-confidential replies; keyword in title, content, registration number or reply',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 100 } },
          { name: 'unitId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          { name: 'sessionYear', in: 'query', schema: { type: 'integer' } },
          pageParam,
          {
            name: 'pageSize',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
          },
        ],
        responses: {
          '200': ok(
            '{ items: [{ id, registrationNo, title, topic, sessionYear, leadDeputyName, publishedAt, excerpt, replies: [{ unitId, unitName, category, body, promisedDate, sentAt, round }] }], total, page, pageSize }',
          ),
          ...problemResponses,
        },
      },
    },
    '/public/replies/{id}': {
      get: {
        security: [],
        parameters: [idParam],
        summary: '公开答复详情 / one published reply; 404 for confidential or unpublished items',
        responses: { '200': ok('as a list item, plus content'), ...problemResponses },
      },
    },
    '/public/facets': {
      get: {
        security: [],
        summary: '公开答复筛选项 / units and sessions that have published replies',
        responses: { '200': ok('{ units: [{ id, name }], sessions: [number] }') },
      },
    },
    // ---- deputies (deputy-admin.routes.ts) ----
    '/admin/deputies': {
      get: {
        summary: '代表列表 / deputies (admin)',
        parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }, pageParam, pageSizeParam],
        responses: {
          '200': ok(
            '{ items: [{ id, name, level, town, delegation, createdAt, accounts }], total, page, pageSize }',
          ),
          ...problemResponses,
        },
      },
      post: {
        summary: '新建代表 / create a deputy (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string', maxLength: 50 },
                  level: { enum: ['national', 'provincial', 'city', 'county', 'township'] },
                  town: { type: 'string' },
                  delegation: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { '201': ok('the deputy'), ...problemResponses },
      },
    },
    '/admin/deputies/{id}': {
      patch: {
        parameters: [idParam],
        summary: '修改代表 / edit a deputy (admin)',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                minProperties: 1,
                properties: {
                  name: { type: 'string' },
                  level: { enum: ['national', 'provincial', 'city', 'county', 'township'] },
                  town: { type: 'string' },
                  delegation: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { '200': ok('the deputy'), ...problemResponses },
      },
    },
    '/notifications': {
      get: {
        summary: "我的站内通知 / the caller's in-app notifications, newest first",
        parameters: [
          {
            name: 'unread',
            in: 'query',
            description: '仅未读 / unread only',
            schema: { type: 'string', enum: ['true', 'false'] },
          },
          { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
          {
            name: 'pageSize',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        ],
        responses: {
          '200': ok(
            '{ items: [{ id, eventId, eventType, suggestionId, title, body, createdAt, readAt }], total, unread }',
            { $ref: '#/components/schemas/NotificationPage' },
          ),
          ...problemResponses,
        },
      },
    },
    '/notifications/{id}/read': {
      post: {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
        ],
        summary: "标记已读 / mark one of the caller's notifications read (404 for anyone else's)",
        responses: { '204': { description: 'marked read' }, ...problemResponses },
      },
    },
    '/notifications/read-all': {
      post: {
        summary: "全部已读 / mark all the caller's notifications read",
        responses: { '204': { description: 'marked read' }, ...problemResponses },
      },
    },
    '/me/preferences': {
      get: {
        summary: "通知偏好 / the caller's notification preferences (defaults: every channel on, digest on)",
        responses: {
          '200': ok('preferences', { $ref: '#/components/schemas/Preferences' }),
          ...problemResponses,
        },
      },
      put: {
        summary: "设置通知偏好 / set the caller's preferences; in_app is always true",
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Preferences' } } },
        },
        responses: {
          '200': ok('preferences', { $ref: '#/components/schemas/Preferences' }),
          ...problemResponses,
        },
      },
    },
    '/points/me': {
      get: {
        summary: "我的履职积分 / the calling deputy's points (deputies only)",
        responses: { '200': ok('points', { $ref: '#/components/schemas/Points' }), ...problemResponses },
      },
    },
    '/deputies/{id}/points': {
      get: {
        parameters: [idParam],
        summary: "代表履职积分 / a deputy's points (the deputy, reviewer, supervisor, admin)",
        responses: { '200': ok('points', { $ref: '#/components/schemas/Points' }), ...problemResponses },
      },
    },
    '/units/{id}/webhook': {
      get: {
        parameters: [idParam],
        summary:
          "单位群机器人 / a unit's group robot: url, active, hasSecret (admin; the secret is never returned)",
        responses: { '200': ok('{ unitId, url, active, hasSecret, updatedAt }'), ...problemResponses },
      },
      put: {
        parameters: [idParam],
        summary: "设置单位群机器人 / set a unit's robot URL and HMAC signing secret (admin)",
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['url', 'secret'],
                additionalProperties: false,
                properties: {
                  url: { type: 'string', format: 'uri', maxLength: 500 },
                  secret: { type: 'string', minLength: 16, maxLength: 200 },
                  active: { type: 'boolean', default: true },
                },
              },
            },
          },
        },
        responses: { '200': ok('{ unitId, url, active, hasSecret, updatedAt }'), ...problemResponses },
      },
    },
    '/points/ranking': {
      get: {
        summary: '履职积分排名 / deputies by total points (reviewer, supervisor, admin)',
        parameters: [
          {
            name: 'town',
            in: 'query',
            description: '镇(街道) / town',
            schema: { type: 'string', maxLength: 50 },
          },
        ],
        responses: { '200': ok('{ items: [{ deputyId, name, town, total }] }'), ...problemResponses },
      },
    },
  },
} as const;
