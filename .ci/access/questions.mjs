#!/usr/bin/env node
// Access questions (issue 17): what may a principal of a tarmac landing zone do? Each question in
// questions.json is answered by @cloud-copilot/iam-simulate, an IAM evaluator tarmac did not write,
// from the policies tarmac synthesized: the SCPs on every level of the organization path to the
// account, the permission set's policies as emitted, and (where a question goes through one) the
// VPC endpoint policy. The table states the expected answer and the statement that decides it;
// a question passes only when the evaluator gives that answer for that reason. Nothing can be
// skipped: a question that cannot be asked (a missing policy, an unknown managed policy, a
// permission set not assigned to the account, a request the evaluator rejects) fails.
//
// questions.json: for each client, its blueprint, management account id, organization id and
// Identity Center region (facts copied from the blueprint), and its questions. A question has
//   id           a sentence, unique within its blueprint once `each` is expanded
//   topic        what it covers; every blueprint must cover each of REQUIRED_TOPICS
//   account      the member account (blueprint name) the principal is in
//   principal    {permission_set} (the emitted set, assigned to that account), or {role} / {user}
//                with AWS managed_policies by name
//   action, resource, region (aws:RequestedRegion), context (further request keys)
//   resource_account  the account owning the resource when it is not `account` (the org trail)
//   via_endpoint the member template's VPC endpoint (logical id) the request goes through
//   without_scps true: the principal's own policies alone (least privilege even where no SCP applies)
//   expect       Allowed | ImplicitlyDenied | ExplicitlyDenied
//   decided_by   the deciding statements, as `<policy> <Sid>` (see decidedBy below)
//   each         {key: [values]}: one question per combination, `{key}` filled in the text fields
// Placeholders: {account_id}, {account_id:<name>}, {management_account_id} and the keys of `each`.
//
// Usage: questions.mjs OUT POLICIES [--write-doc]
//   OUT       tarmac synth output (one folder per client)
//   POLICIES  .ci/policies.py's output for OUT's CloudFormation templates (intrinsics resolved)
// The answers are also written as docs/access-questions.md; without --write-doc the committed page
// must equal what this run produced, so the docs cannot drift from what CI proves.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getDenialReasons, getGrantReasons, runSimulation } from '@cloud-copilot/iam-simulate'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '..', '..')
const docPath = path.join(repo, 'docs', 'access-questions.md')

// AWS managed policies a question or a permission set may name. Only documents whose full text is
// short and fixed belong here; a permission set holding any other managed policy cannot be
// simulated honestly, so a question about it fails instead of silently ignoring the policy.
// AdministratorAccess: docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }
const MANAGED = { 'arn:aws:iam::aws:policy/AdministratorAccess': ALLOW_ALL }
// Every root, OU and account has FullAWSAccess attached unless someone detaches it
// (docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html):
// an SCP deny then only narrows what the identity policy grants.
const FULL_AWS_ACCESS = 'FullAWSAccess'
// policies.py resolves AWS::AccountId in every template to this representative account; a member
// template is one StackSet template deployed to each account, so its documents are read with the
// asking account's id put in its place.
const POLICIES_ACCOUNT = '123456789012'
// Identity Center names the role of a permission set AWSReservedSSO_<name>_<16 hex> under the path
// aws-reserved/sso.amazonaws.com/<Identity Center region>/
// (docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
const SSO_ROLE_PATH = 'aws-reserved/sso.amazonaws.com/'
const SSO_ROLE_SUFFIX = '_0123456789abcdef'
// What every blueprint's questions must cover (issue 17, "An independent test of the guardrails").
const REQUIRED_TOPICS = [
  'unapproved-runtime-model',
  'unapproved-mantle-model',
  'unapproved-region',
  'audit-trail',
  'leave-organization',
  'long-term-credentials',
  'privileged-role',
  'privileged-exemption',
  'codex-approved',
  'codex-denied',
]

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

/** The organization as the management template deploys it: OUs, accounts, SCPs and where they are
 *  attached, permission sets and their assignments. */
function loadOrganization(out, policies, client) {
  const template = readJson(path.join(out, client, 'cloudformation', 'management.template.json'))
  const manifest = readJson(path.join(out, client, 'manifest.json'))
  const resources = template.Resources
  const policyDir = path.join(policies, `${client}-management`)
  const org = { client, ous: {}, accounts: {}, scps: [], permissionSets: {}, assignments: new Set(), root: null }
  const byType = (type) => Object.entries(resources).filter(([, r]) => r.Type === type)

  // Accounts the template creates get representative ids in resource order; accounts that exist
  // already have theirs in the manifest (the units deployed to them).
  let next = 210987654321
  const accountIds = {}
  for (const unit of manifest.units) {
    if (unit.account_id) accountIds[unit.account] = unit.account_id
  }
  // A parent or target: the root (r-...), an OU the template creates (GetAtt of its Id), an OU that
  // exists already (ou-...), or an account (12 digits or GetAtt of its AccountId).
  const node = (value) => {
    if (typeof value === 'string') {
      if (/^r-/.test(value)) {
        org.root = org.root ?? value
        if (org.root !== value) throw new Error(`two roots: ${org.root} and ${value}`)
        return { kind: 'root', id: value }
      }
      if (/^ou-/.test(value)) return { kind: 'ou', id: value }
      if (/^\d{12}$/.test(value)) return { kind: 'account', id: value }
    } else if (value && value['Fn::GetAtt']) {
      const [logical, attr] = value['Fn::GetAtt']
      const type = resources[logical]?.Type
      if (type === 'AWS::Organizations::OrganizationalUnit' && attr === 'Id') return { kind: 'ou', id: logical }
      if (type === 'AWS::Organizations::Account' && attr === 'AccountId') return { kind: 'account', id: logical }
    }
    throw new Error(`cannot place ${JSON.stringify(value)} in the organization`)
  }

  for (const [logical, r] of byType('AWS::Organizations::OrganizationalUnit')) {
    org.ous[logical] = { name: r.Properties.Name, parent: node(r.Properties.ParentId) }
  }
  for (const [logical, r] of byType('AWS::Organizations::Account')) {
    const parents = r.Properties.ParentIds ?? [org.root]
    if (parents.length !== 1) throw new Error(`account ${logical} has ${parents.length} parents`)
    const name = r.Properties.AccountName
    // An existing account the stack adopts (imported, then moved into its OU) keeps its id, by
    // which the rest of the template (assignments, StackSet targets) names it.
    org.accounts[name] = { logical, id: accountIds[name] ?? String(next++), parent: node(parents[0]) }
  }
  // An account that exists already is placed by the StackSets that deploy to it: their targets are
  // the intersection of its OU and its id.
  for (const [, r] of byType('AWS::CloudFormation::StackSet')) {
    for (const group of r.Properties.StackInstancesGroup ?? []) {
      const t = group.DeploymentTargets
      if (t.AccountFilterType !== 'INTERSECTION' || (t.OrganizationalUnitIds ?? []).length !== 1) continue
      for (const account of t.Accounts ?? []) {
        if (typeof account !== 'string') continue
        const name = Object.keys(accountIds).find((n) => accountIds[n] === account)
        if (!name) throw new Error(`StackSet targets account ${account}, which the manifest does not name`)
        const parent = node(t.OrganizationalUnitIds[0])
        const known = org.accounts[name]
        if (known && JSON.stringify(known.parent) !== JSON.stringify(parent)) {
          throw new Error(`account ${name} is targeted in two OUs`)
        }
        org.accounts[name] = { logical: null, id: account, parent }
      }
    }
  }
  const accountNode = (n) => {
    if (n.kind !== 'account') return null
    if (/^\d{12}$/.test(n.id)) return Object.keys(org.accounts).find((a) => org.accounts[a].id === n.id) ?? n.id
    return Object.keys(org.accounts).find((a) => org.accounts[a].logical === n.id)
  }

  for (const [logical, r] of byType('AWS::Organizations::Policy')) {
    if (r.Properties.Type !== 'SERVICE_CONTROL_POLICY') continue
    const targets = r.Properties.TargetIds.map(node).map((n) => (n.kind === 'account' ? { ...n, id: accountNode(n) } : n))
    org.scps.push({
      name: r.Properties.Name,
      targets,
      policy: readJson(path.join(policyDir, `${logical}-Content.json`)),
    })
  }
  for (const [logical, r] of byType('AWS::SSO::PermissionSet')) {
    const p = r.Properties
    const inline = p.InlinePolicy ? readJson(path.join(policyDir, `${logical}-InlinePolicy.json`)) : null
    org.permissionSets[p.Name] = {
      logical,
      managed: p.ManagedPolicies ?? [],
      // Customer managed policies and boundaries live outside the template: not simulated.
      unsupported: [p.CustomerManagedPolicyReferences && 'customer managed policies', p.PermissionsBoundary && 'a permissions boundary'].filter(Boolean),
      inline,
    }
  }
  for (const [, r] of byType('AWS::SSO::Assignment')) {
    const p = r.Properties
    const ps = p.PermissionSetArn['Fn::GetAtt'][0]
    org.assignments.add(`${ps} ${accountNode(node(p.TargetId))}`)
  }
  return org
}

/** The SCP levels from the root down to the account, each with FullAWSAccess and tarmac's SCPs
 *  attached to it, in the order iam-simulate takes them (root first, account last). */
function scpLevels(org, accountName) {
  const account = org.accounts[accountName]
  if (!account) throw new Error(`${org.client} has no account ${accountName}`)
  const chain = []
  let at = account.parent
  const seen = new Set()
  while (at.kind === 'ou') {
    if (seen.has(at.id)) throw new Error(`OU cycle at ${at.id}`)
    seen.add(at.id)
    chain.unshift(at)
    const ou = org.ous[at.id]
    // An OU that exists already (ou-...) has a parent the template does not say: it is modelled
    // directly under the root. Levels left out in between can only add denies.
    at = ou ? ou.parent : { kind: 'root', id: org.root }
  }
  // A root the template never names (every OU hangs under one that exists already) is still there.
  if (at.id === null) at = { kind: 'root', id: '(id not in the template)' }
  chain.unshift(at)
  chain.push({ kind: 'account', id: accountName })
  const same = (a, b) => a.kind === b.kind && a.id === b.id
  return chain.map((level) => ({
    orgIdentifier: level.kind === 'ou' && org.ous[level.id] ? `ou ${org.ous[level.id].name}` : `${level.kind} ${level.id}`,
    policies: [
      { name: FULL_AWS_ACCESS, policy: ALLOW_ALL },
      ...org.scps.filter((s) => s.targets.some((t) => same(t, level))).map((s) => ({ name: s.name, policy: s.policy })),
    ],
  }))
}

function fill(text, vars) {
  return text.replace(/\{([a-z_]+(?::[A-Za-z0-9._-]+)?)\}/g, (whole, key) => {
    if (!(key in vars)) throw new Error(`unknown placeholder ${whole}`)
    return vars[key]
  })
}

/** Rows of questions.json, with `each` expanded: one question per combination of its values. */
function expand(rows) {
  const out = []
  for (const row of rows) {
    let combos = [{}]
    for (const [key, values] of Object.entries(row.each ?? {})) {
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })))
    }
    for (const combo of combos) {
      const suffix = Object.values(combo).join(' ')
      out.push({ ...row, each: undefined, vars: combo, id: suffix ? `${row.id} [${suffix}]` : row.id })
    }
  }
  return out
}

/** The principal's identity policies and request context. */
function principalOf(org, q, accountId) {
  const p = q.principal
  let policies
  let role
  let label
  if (p.permission_set) {
    const set = org.permissionSets[p.permission_set]
    if (!set) throw new Error(`${org.client} has no permission set ${p.permission_set}`)
    if (!org.assignments.has(`${set.logical} ${q.account}`)) {
      throw new Error(`permission set ${p.permission_set} is not assigned to ${q.account}`)
    }
    if (set.unsupported.length) throw new Error(`permission set ${p.permission_set} has ${set.unsupported.join(' and ')}`)
    policies = set.managed.map(managedPolicy)
    if (set.inline) policies.push({ name: `${p.permission_set} inline`, policy: set.inline })
    role = `${SSO_ROLE_PATH}${q.identity_center_region}/AWSReservedSSO_${p.permission_set}${SSO_ROLE_SUFFIX}`
    label = `permission set ${p.permission_set}`
  } else if (p.role || p.user) {
    policies = (p.managed_policies ?? []).map((name) => managedPolicy(`arn:aws:iam::aws:policy/${name}`))
    role = p.role
    label = p.role ? `role ${p.role}` : `IAM user ${p.user}`
    label += ` (${(p.managed_policies ?? []).join(', ') || 'no policies'})`
  } else {
    throw new Error(`principal ${JSON.stringify(p)} is neither a permission set, a role nor a user`)
  }
  // iam-simulate does not derive these from the principal: without aws:PrincipalArn every
  // ArnNotLike exemption would read as "not the exempt role".
  const arn = role ? `arn:aws:iam::${accountId}:role/${role}` : `arn:aws:iam::${accountId}:user/${p.user}`
  const request = role ? `arn:aws:sts::${accountId}:assumed-role/${role.split('/').pop()}/session` : arn
  const context = {
    'aws:PrincipalArn': arn,
    'aws:PrincipalAccount': accountId,
    'aws:PrincipalType': role ? 'AssumedRole' : 'User',
    'aws:SecureTransport': 'true',
  }
  if (q.organization_id) context['aws:PrincipalOrgID'] = q.organization_id
  return { policies, request, context, label }
}

function managedPolicy(arn) {
  if (!MANAGED[arn]) throw new Error(`managed policy ${arn} is not known to this script (add its document)`)
  return { name: arn.split('/').pop(), policy: MANAGED[arn] }
}

/** The statements the evaluator says decided the request, as `<policy> <Sid or #index>`, and
 *  `implicit <policy type>` where nothing allowed it. FullAWSAccess grants are not listed: every
 *  level has one. */
function decidedBy(analysis) {
  const stmt = (r) => `${r.policyIdentifier ?? r.policyType} ${r.statementId ?? `#${r.statementIndex}`}`
  if (analysis.result === 'Allowed') {
    return getGrantReasons(analysis).filter((g) => g.policyIdentifier !== FULL_AWS_ACCESS).map(stmt)
  }
  return getDenialReasons(analysis).map((d) =>
    d.denialType === 'Explicit' ? stmt(d) : `implicit ${d.policyType}${d.identifier ? ` ${d.identifier}` : ''}`,
  )
}

async function ask(org, q, policiesDir, out) {
  const account = org.accounts[q.account]
  if (!account) throw new Error(`${org.client} has no account ${q.account}`)
  const vars = { ...q.vars, account_id: account.id, management_account_id: q.management_account_id }
  for (const [name, a] of Object.entries(org.accounts)) vars[`account_id:${name}`] = a.id
  const action = fill(q.action, vars)
  const resource = fill(q.resource, vars)
  const region = fill(q.region, vars)
  const principal = principalOf(org, q, account.id)
  const context = { ...principal.context, 'aws:RequestedRegion': region }
  for (const [k, v] of Object.entries(q.context ?? {})) context[k] = Array.isArray(v) ? v.map((x) => fill(x, vars)) : fill(v, vars)
  const endpoints = []
  if (q.via_endpoint) {
    // The endpoint of the account's member template in that region (policies.py output).
    const dir = endpointDir(out, policiesDir, org.client, q.account, region)
    const file = path.join(dir, `${q.via_endpoint}-PolicyDocument.json`)
    const text = fs.readFileSync(file, 'utf8').replaceAll(POLICIES_ACCOUNT, account.id)
    endpoints.push({ name: q.via_endpoint, policy: JSON.parse(text) })
    context['aws:SourceVpce'] = 'vpce-0123456789abcdef0'
  }
  const levels = scpLevels(org, q.account)
  const simulation = {
    request: {
      principal: principal.request,
      action,
      resource: { resource, accountId: q.resource_account ? fill(q.resource_account, vars) : account.id },
      contextVariables: context,
    },
    identityPolicies: principal.policies,
    serviceControlPolicies: q.without_scps ? [] : levels,
    resourceControlPolicies: [],
    vpcEndpointPolicies: endpoints.length ? endpoints : undefined,
  }
  const response = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (response.resultType === 'error') throw new Error(`the evaluator rejected the request: ${JSON.stringify(response.errors)}`)
  if (response.resultType !== 'single') throw new Error(`resource ${resource} is a pattern; ask about one resource`)
  const ignored = response.result.ignoredContextKeys ?? []
  const extra = Object.keys(q.context ?? {}).filter((k) => ignored.some((i) => i.toLowerCase() === k.toLowerCase()))
  if (extra.length) throw new Error(`the evaluator ignored context keys ${extra.join(', ')} for ${action}`)
  return {
    action,
    answer: response.overallResult,
    decidedBy: decidedBy(response.result.analysis).sort(),
    resource,
    region,
    principal: principal.label,
    path: q.without_scps ? null : levels.map((l) => `${l.orgIdentifier} (${l.policies.map((p) => p.name).join(', ')})`).join(' → '),
  }
}

/** The member template deployed to an account in a region, from the manifest. */
function endpointDir(out, policiesDir, client, account, region) {
  const manifest = readJson(path.join(out, client, 'manifest.json'))
  const unit = manifest.units.find(
    (u) => u.target === 'cloudformation' && u.kind === 'stack-set' && u.region === region && (u.accounts ?? []).includes(account),
  )
  if (!unit) throw new Error(`no member stack of ${account} in ${region}`)
  return path.join(policiesDir, `${client}-${unit.name}`)
}

function cell(text) {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function describeSet(set) {
  const parts = set.managed.map((arn) => arn.split('/').pop())
  if (set.inline) parts.push('inline policy')
  return parts.join(' + ') || 'no policies'
}

// A passing question shows the evaluator's answer; a failing one also what the table expected, so a
// page written while a question fails cannot pass for a proof.
function answer(r) {
  const got = r.got?.answer ?? 'not asked'
  return got === r.q.expect ? got : `${got} (expected ${r.q.expect})`
}

function decider(r) {
  const got = (r.got?.decidedBy ?? []).join('; ')
  const want = r.expected.join('; ')
  return got === want ? got : `${got || r.failure} (expected ${want})`
}

function render(table, results, orgs) {
  const lines = [
    '# Access questions',
    '',
    '<!-- Generated by .ci/access/questions.mjs from .ci/access/questions.json; do not edit. Regenerate:',
    '     cargo run -- synth blueprints/*.yaml --out /tmp/access-out',
    '     python3 .ci/policies.py /tmp/access-pol /tmp/access-out/*/cloudformation/*.template.json',
    '     (cd .ci/access && npm ci) && node .ci/access/questions.mjs /tmp/access-out /tmp/access-pol --write-doc -->',
    '',
    'What a principal of each shipped blueprint\'s landing zone may do, answered in CI (`.ci/run`, step',
    '"access questions") by [`@cloud-copilot/iam-simulate`](https://www.npmjs.com/package/@cloud-copilot/iam-simulate),',
    'an IAM policy evaluator tarmac did not write, from the policies `tarmac synth` emitted. A question',
    'passes only when the evaluator gives the expected answer *and* names the expected deciding',
    'statement; CI fails on any other answer, and on any question it cannot ask.',
    '',
    'How a request is modelled:',
    '',
    '- **SCPs**: every level of the path root → OUs → account carries `FullAWSAccess` (as AWS attaches',
    '  it by default) plus each tarmac SCP whose `TargetIds` (management template) name that level. An',
    '  OU that existed before tarmac (`ou-…` id in the blueprint) is placed directly under the root; an',
    '  account that existed is placed in the OU its StackSets target.',
    '- **Permission sets**: the role Identity Center creates (`aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<name>_…`)',
    '  with the set\'s emitted inline policy and managed policies; a question fails when the set is not',
    '  assigned to the account asked about. Managed policies other than `AdministratorAccess` are not',
    '  simulated: a question about a set holding one fails rather than ignore it.',
    '- **Context**: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and',
    '  `aws:RequestedRegion` are set for every request; further keys are listed with the question.',
    '- **No SCPs** (marked so): the permission set\'s own policies alone, to show it is least-privilege',
    '  even where the SCPs would not apply.',
    '- **Not modelled**: trust policies (who may assume a role), session policies, RCPs (tarmac emits',
    '  none; AWS applies `RCPFullAWSAccess`), and SCPs of OU levels the blueprint does not describe.',
    '- **Deciding statement**: `<policy> <Sid>` (`#n` for a statement without a Sid); `implicit identity`',
    '  means no identity statement allows the request.',
    '',
  ]
  for (const [client, entry] of Object.entries(table.blueprints)) {
    lines.push(`## ${client} (\`${entry.blueprint}\`)`, '')
    const paths = new Map()
    for (const r of results) if (r.client === client && r.got?.path) paths.set(r.q.account, r.got.path)
    lines.push('SCPs on the path to each account asked about:', '')
    for (const [account, p] of [...paths].sort()) lines.push(`- ${account}: ${p}`)
    lines.push('')
    const asked = new Set(results.filter((r) => r.client === client).map((r) => r.q.principal.permission_set))
    const unasked = Object.keys(orgs[client]?.permissionSets ?? {}).filter((n) => !asked.has(n))
    if (unasked.length) {
      lines.push(`Permission sets no question asks about: ${unasked.map((n) => `${n} (${describeSet(orgs[client].permissionSets[n])})`).join('; ')}.`, '')
    }
    lines.push('| # | Question | Principal | Account | Action | Resource | Region, context | Answer | Deciding statement |')
    lines.push('|---|---|---|---|---|---|---|---|---|')
    results
      .filter((r) => r.client === client)
      .forEach((r, i) => {
        const ctx = [r.got?.region ?? r.q.region, ...Object.entries(r.q.context ?? {}).map(([k, v]) => `${k}=${fill(String(v), r.q.vars)}`)]
        if (r.q.via_endpoint) ctx.push(`via endpoint ${r.q.via_endpoint}`)
        if (r.q.without_scps) ctx.push('no SCPs')
        lines.push(
          `| ${i + 1} | ${cell(r.q.id)} | ${cell(r.got?.principal ?? '')} | ${cell(r.q.account)} | \`${r.got?.action ?? r.q.action}\` | \`${cell(r.got?.resource ?? r.q.resource)}\` | ${cell(ctx.join(', '))} | ${cell(answer(r))} | ${cell(decider(r))} |`,
        )
      })
    lines.push('')
  }
  return lines.join('\n')
}

async function main() {
  const args = process.argv.slice(2)
  const writeDoc = args.includes('--write-doc')
  const [out, policiesDir] = args.filter((a) => a !== '--write-doc')
  if (!out || !policiesDir) {
    console.error('usage: questions.mjs OUT POLICIES [--write-doc]')
    process.exit(2)
  }
  const table = readJson(path.join(here, 'questions.json'))
  const failures = []
  const results = []
  const orgs = {}

  // Every synthesized client has questions, every client in the table was synthesized, and each
  // covers every required topic.
  const clients = fs.readdirSync(out).filter((d) => fs.existsSync(path.join(out, d, 'manifest.json'))).sort()
  const asked = Object.keys(table.blueprints).sort()
  if (JSON.stringify(clients) !== JSON.stringify(asked)) {
    failures.push(`the table asks about ${asked.join(', ')} but ${out} holds ${clients.join(', ')}`)
  }

  for (const [client, entry] of Object.entries(table.blueprints)) {
    const facts = ['blueprint', 'management_account_id', 'organization_id', 'identity_center_region']
    const absent = facts.filter((f) => typeof entry[f] !== 'string')
    if (absent.length) {
      failures.push(`${client}: the table does not say its ${absent.join(', ')}`)
      continue
    }
    const topics = new Set(entry.questions.map((q) => q.topic))
    const missing = REQUIRED_TOPICS.filter((t) => !topics.has(t))
    if (missing.length) failures.push(`${client}: no question on ${missing.join(', ')}`)
    let org
    try {
      org = loadOrganization(out, policiesDir, client)
      orgs[client] = org
    } catch (e) {
      failures.push(`${client}: ${e.message}`)
      continue
    }
    const ids = new Set()
    for (const q of expand(entry.questions)) {
      q.management_account_id = entry.management_account_id
      q.organization_id = entry.organization_id
      q.identity_center_region = entry.identity_center_region
      const result = { client, q, expected: [...q.decided_by].map((s) => fill(s, q.vars)).sort() }
      results.push(result)
      if (ids.has(q.id)) result.failure = 'two questions have this id'
      ids.add(q.id)
      try {
        result.got = await ask(org, q, policiesDir, out)
        const same = result.got.answer === q.expect && JSON.stringify(result.got.decidedBy) === JSON.stringify(result.expected)
        if (!same) {
          result.failure ??= `expected ${q.expect} by [${result.expected.join('; ')}], the evaluator answered ${result.got.answer} by [${result.got.decidedBy.join('; ')}]`
        }
      } catch (e) {
        result.failure ??= e.message
      }
    }
  }

  const doc = render(table, results, orgs) + '\n'
  if (writeDoc) {
    fs.writeFileSync(docPath, doc)
    console.log(`wrote ${path.relative(repo, docPath)}`)
  } else {
    const committed = fs.existsSync(docPath) ? fs.readFileSync(docPath, 'utf8') : ''
    if (committed !== doc) {
      failures.push(`${path.relative(repo, docPath)} does not list these answers: run node .ci/access/questions.mjs ${out} ${policiesDir} --write-doc`)
    }
  }
  const failed = results.filter((r) => r.failure)
  for (const r of failed) console.log(`FAIL ${r.client}: ${r.q.id}: ${r.failure}`)
  for (const f of failures) console.log(`FAIL ${f}`)
  // A failure that is not one question's (coverage, a stale page) counts as one failed question.
  console.log(`access-questions: ${results.length - failed.length} passed, ${failed.length + failures.length} failed`)
  process.exit(failed.length || failures.length ? 1 : 0)
}

await main()
