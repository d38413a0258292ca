/**
 * The explorer's UI strings in Simplified Chinese. Same keys and function signatures as en.ts
 * (`satisfies Messages`; tests/unit/ui/i18n.test.ts checks arity and that nothing is left in English).
 *
 * Conventions: technical names stay as they are (SEV-SNP, TDX, PCR, RTMR, MRTD, REPORT_DATA,
 * MEASUREMENT, VCEK, RMP, EPCM, GPA/HPA, AR4SI claim names, hex values, ids); full-width punctuation
 * in prose, a space between Chinese and Latin words or numbers. Terms used throughout:
 *   trust domain 信任域 · platform 平台 · host 主机 · guest 客户机 · owner 所有者 · tenant 租户
 *   attester 证明方 · relying party 依赖方 · verifier 验证方 · endorser 背书方
 *   reference value 参考值 · key broker 密钥代理 · evidence 证据 · nonce 随机数 · secret 机密
 *   attestation 远程证明 · measured boot 度量启动 · transcript 记录 · plaintext 明文 · ciphertext 密文
 *   leaked 泄露 · detected 检测到 · prevented 已阻止 · out of scope 不在威胁模型内 · not applicable 不适用
 */
import type { FlowDescriptionParts, FlowLabelParts, Messages } from './en';
import { formatNumber, formatSize } from './format';

const num = (n: number) => formatNumber('zh-CN', n);

const regions = {
  platform: '平台',
  host: '主机',
  guest: '客户机 / 租户',
  owner: '所有者 / 依赖方',
};
const nodes = { device: '设备', vendor: '厂商 PKI' };
const viewNames = {
  map: '信任域',
  boot: '度量启动',
  attestation: '远程证明',
  memory: '内存',
  matrix: '威胁矩阵',
  statechart: '状态图',
};
const actorName = (a: string): string =>
  a === 'device' || a === 'vendor' ? nodes[a] : ((regions as Record<string, string>)[a] ?? a);

export const zhCN = {
  common: {
    colon: '：',
    end: '。',
  },

  outcomes: {
    leaked: '泄露',
    detected: '检测到',
    prevented: '已阻止',
    'out-of-scope': '不在威胁模型内',
    'not-applicable': '不适用',
  },
  outcomeLetters: {
    leaked: '泄',
    detected: '检',
    prevented: '阻',
    'out-of-scope': '外',
    'not-applicable': '–',
  },

  language: {
    label: '语言',
  },

  attackTitles: {
    'memory-dump': '主机管理员转储客户机内存',
    'register-snoop': '虚拟机监控器在 VM 退出时读取客户机寄存器',
    'page-remap-replay': '主机重映射并重放客户机内存页',
    'cpuid-lie': '虚拟机监控器在 CPUID 应答中撒谎',
    'tampered-boot': '运维人员启动被篡改的内核',
    'forged-evidence': '主机伪造证明证据',
    'replayed-evidence': '主机为被篡改的客户机重放旧证据',
    'tcb-rollback': '主机回滚安全固件',
    'debug-policy': '主机以启用调试的方式启动客户机',
    'malicious-dma': '恶意设备通过 DMA 读取客户机内存',
    'shared-io-snoop': '主机窥探共享 I/O 缓冲区',
    'side-channel': '主机发起侧信道攻击',
    'denial-of-service': '主机对客户机拒绝服务',
    'vendor-root-compromise': '攻击者掌握厂商根密钥',
    'early-secret': '在远程证明之前就下发机密',
  },
  app: {
    title: '机密计算威胁探索器',
    tagline: '看看当工作负载在别人的计算机上运行时，谁能读到什么。',
    modelLanguage: '模拟产生的消息（事件标题、解释和验证方给出的理由）为英文。',
    controls: '场景',
    platform: '平台',
    attacks: '要注入的攻击',
    misconfig: '所有者的错误配置',
    misconfigNames: {
      noNonce: '验证方不发送随机数',
      allowDebug: '策略允许调试模式',
      secretBeforeAttestation: '在远程证明之前就下发机密',
    },
    seed: '随机种子',
    views: '视图',
    viewNames,
    running: '正在模拟…',
    outcomes: '攻击的结果',
    attackOutcome: (attack: string) => `${attack}：`,
    noAttack: '未注入攻击：本次运行展示的是协议的预期流程。',
    released: '密钥代理已向客户机发放机密。',
    notReleased: '密钥代理没有发放机密。',
    refused: '平台拒绝了启动：',
    linkProblems: '此链接中有部分内容无法使用：',
    problems: {
      tooLong: (length: number, max: number) => `链接中的状态长 ${length} 个字符（最多 ${max} 个），已忽略`,
      unreadable: '无法读取链接中的状态，已使用默认值',
      repeated: (key: string) => `${key} 出现了不止一次，已使用第一个值`,
      platform: (value: string, fallback: string) => `未知平台 ${value}，改为显示 ${fallback}`,
      attack: (value: string) => `已忽略未知攻击 ${value}`,
      misconfig: (value: string, known: string) => `已忽略未知的错误配置 ${value}（可用：${known}）`,
      notInteger: (name: string, value: string, max: number) =>
        `${name} ${value} 不是 0 到 ${max} 之间的整数，已使用默认值`,
      view: (value: string, fallback: string) =>
        `未知视图 ${value}，改为显示“${(viewNames as Record<string, string>)[fallback] ?? fallback}”视图`,
      page: (value: string) => `页面 ${value} 不是形如 0x1000 的客户机地址，已忽略`,
      lang: (value: string, known: string) => `已忽略未知语言 ${value}（可用：${known}）`,
      setting: (key: string) => `已忽略未知设置 ${key}`,
    },
    dismiss: '关闭',
    inspector: '载荷检查器',
    inspectorHeading: (seq: number, title: string) => `载荷检查器：#${seq} ${title}`,
    closeInspector: '关闭检查器',
    byoe: '使用你自己的证据',
    byoeResult: '你的证据',
    error: '模拟失败：',
  },

  timeline: {
    label: '时间线',
    start: '回到开头',
    back: '后退一步',
    play: '播放',
    pause: '暂停',
    forward: '前进一步',
    end: '跳到结尾',
    speed: '速度',
    speedOption: (s: number) => `${num(s)}×`,
    scrubber: '步骤',
    valueText: (step: number, total: number, title: string | null) =>
      `第 ${num(step)} 步，共 ${num(total)} 步：${title ?? '尚未发生任何事件'}`,
    position: (step: number, total: number) => `${num(step)} / ${num(total)}`,
    events: '事件',
    attack: (id: string) => `攻击：${id}`,
    keys: '按键：← → 单步，空格键 播放/暂停，Home / End 跳到开头/结尾',
  },

  trustDomainMap: {
    label: (platform: string, step: number, total: number) =>
      `${platform} 上的信任域：谁向谁发送了什么，第 ${num(step)} 步，共 ${num(total)} 步`,
    regions,
    short: { platform: '平台', host: '主机', guest: '客户机', owner: '所有者' },
    nodes,
    components: {
      cpu: 'CPU',
      'security-processor': '安全处理器',
      'root-of-trust': '信任根',
      hypervisor: '虚拟机监控器',
      'host-admin': '主机管理员',
      devices: '设备',
      firmware: '固件',
      kernel: '内核',
      workload: '工作负载',
      verifier: '验证方',
      'key-broker': '密钥代理',
    },
    trusted: '受信任',
    untrusted: '不受信任',
    reach: '攻击者可及范围',
    reachShort: '攻击者',
    nodeInReach: (name: string) => `${name} · 攻击者`,
    sawSecret: '⚠ 看到了机密',
    attack: (id: string) => `攻击：${id}`,
    arrow: (
      a: { seq: number; from: string; to: string; self: boolean; attack?: string },
      title: string,
      latest: boolean,
    ) =>
      `第 ${num(a.seq + 1)} 步${latest ? '（最新）' : ''}：${title}。` +
      (a.self ? `发生在${actorName(a.from)}内部。` : `从${actorName(a.from)}到${actorName(a.to)}。`) +
      (a.attack ? `由攻击 ${a.attack} 引起。` : ''),
    stepLabel: (seq: number, title: string) => `${seq + 1} · ${title}`,
    none: '尚未发生任何事件：前进一步即可看到第一条消息。',
    seesHeading: '以明文看到的内容',
    seesNothing: '暂无',
    secretTag: '含有机密',
    alarm: (domain: string, seq: number, title: string) =>
      `${domain}看到了明文形式的机密（第 ${num(seq + 1)} 步：${title}），而所有者并不信任它。`,
    legend: {
      label: '图例',
      message: '消息（最新一条加粗）',
      attack: '由攻击引起（虚线）',
      faded: '较早的步骤淡化显示',
      secret: '斜线填充：不受信任的域看到了机密',
    },
  },

  bootChain: {
    label: '度量启动链',
    none: '此平台不做任何度量：没有可显示的启动链。',
    notYet: '此步骤尚未度量任何内容：平台会在启动镜像时对其进行度量。',
    intro:
      '每个方框是一个步骤：平台把输入的摘要扩展（extend）进寄存器，方框中显示扩展后的当前值。扩展无法撤销，所以只要有一个输入改变，之后的每个值都会随之改变。',
    headline: '证据中携带的是',
    value: '值',
    reference: '参考值',
    final: '最终值',
    comparison: {
      matches: '✓ 一致',
      differs: '✗ 不一致',
      'no-reference': '无参考值',
    },
    steps: (n: number) => `${num(n)} 步`,
    changed: '✗ 输入已更改',
    after: '✗ 不一致：受之前的更改影响',
    same: '与参考值相同',
    start: '复位值',
    hash: (algorithm: string) => `哈希：${algorithm}`,
    step: (n: number) => `第 ${num(n)} 步`,
    component: '度量对象：',
    input: '输入摘要',
    afterValue: '此步骤后的寄存器值',
    full: '显示全部',
    less: '收起',
    copy: '复制',
    copied: '已复制',
    copyFailed: '复制失败',
    valueAction: (action: string, owner: string, label: string) => `${action}：${owner} ${label}`,
    nodeLabel: (
      n: { label: string; short: string; index: number; component: string },
      register: string,
      total: number,
      note: string,
    ) =>
      `${n.label} ${n.short} ${note}：${register} 第 ${num(n.index + 1)} 步（共 ${num(total)} 步），${n.component}`,
    hint: '将鼠标悬停在某个步骤上、聚焦或选中它，即可查看其输入摘要。',
  },

  attestationFlow: {
    label: 'RATS 角色之间的远程证明消息',
    model: '远程证明模型',
    models: {
      'background-check': '背景检查模型（即模拟所用）',
      passport: '护照模型',
    },
    passportNote:
      '模拟运行的是背景检查模型。此护照视图按护照模型的顺序重绘相同的消息：验证方把结果返回给证明方，再由证明方出示给依赖方。',
    backgroundNote: '背景检查模型：证明方把证据发送给依赖方，依赖方先请其验证方评估证据，然后才发放机密。',
    lanes: {
      attester: { name: '证明方', short: '证明方', role: '客户机 + 平台' },
      'relying-party': { name: '依赖方', short: '依赖方', role: '密钥代理（所有者）' },
      verifier: { name: '验证方', short: '验证方', role: '评估者（所有者）' },
      endorser: { name: '背书方', short: '背书方', role: '厂商 PKI' },
      rvp: { name: '参考值提供方', short: '参考值提供方', role: '镜像构建者（所有者）' },
    },
    kinds: {
      measure: '启动已度量',
      nonce: '随机数',
      sign: '证据已签名',
      evidence: '证据',
      forward: '证据已转发',
      endorsements: '背书（证书链）',
      'reference-values': '参考值',
      result: '证明结果',
      present: '出示结果',
      token: '结果令牌',
      secret: '发放机密',
    },
    short: (m: FlowLabelParts) =>
      (m.implied ? m.kind : `#${m.seq} ${m.atHost ? `${m.kind}（在主机上）` : m.kind}`) +
      (m.status ? `：${m.status}${m.refused ? '（未被接受）' : ''}` : '') +
      (m.via ? ' · 经由主机' : '') +
      (m.attack ? ` · ⚠ ${m.attack}` : '') +
      (m.implied ? '（隐含，不在记录中）' : '') +
      (m.title !== null ? ` — ${m.title}` : ''),
    describe: (m: FlowDescriptionParts) =>
      `${m.implied ? '' : `#${m.seq} `}${m.kind}，从${m.from}到${m.to}${m.via ? '，经由主机' : ''}` +
      `${m.accepted === null ? '' : m.accepted ? '（已接受）' : '（未被接受）'}：${m.title}` +
      `${m.attack ? `。攻击：${m.attack}` : ''}${m.inspectable ? '。按 Enter 查看其字节' : ''}`,
    shown: (n: number, total: number) => `目前已显示 ${num(n)} 条消息，共 ${num(total)} 条`,
    nothingYet: '尚无消息传递：前进一步即可看到这些消息。',
    noMessages: '本次运行没有交换任何远程证明消息。',
  },

  payloadInspector: {
    region: (title: string) => `载荷：${title}`,
    bytes: (n: number) => `${num(n)} 字节`,
    empty: '此事件中没有传递任何字节。',
    invalid: '这些字节不是有效的十六进制，因此没有可显示的内容。',
    grid: '十六进制转储：用方向键在字节间移动，按 Enter 选中光标所在的字段',
    offsetHeading: '偏移量',
    byteAt: (offset: string) => `字节 ${offset}：不在任何已标注的字段中`,
    noFields: '这些字节没有字段布局：仅显示原始十六进制。',
    fields: '字段',
    keyField: '关键字段',
    name: '名称',
    length: '长度',
    description: '说明',
    select: (name: string) => `在十六进制视图中高亮 ${name}`,
    clear: '清除高亮',
    range: (from: string, to: string, n: number) => `${from}–${to}（${num(n)} 字节）`,
    highlighted: (range: string) => `已高亮：${range}`,
    verdict: '验证方的评估',
    checks: '检查项（按验证方执行的顺序）',
    claims: '声明（AR4SI）',
    ok: '✓ 通过',
    failed: '✗ 未通过',
    showBytes: (range: string, field?: string) => `显示${field ? ` ${field} 的` : ''}字节 ${range}`,
    value: (value: string) => `值 ${value}`,
    copy: '复制十六进制',
    copied: '已复制',
    copyFailed: '复制失败',
  },

  memoryInspector: {
    label: '客户机内存检查器',
    protection: '主机读取私有内存时：',
    noTable: '无所有权表',
    noMemory: '没有可检查的客户机内存：本次运行中客户机从未运行。',
    refused: '平台拒绝了启动：',
    notYet: (seq: number) =>
      `在此步骤，客户机尚未存储机密（它会在事件 #${seq} 中存储）。下面的页面显示的是运行结束时的内存。`,
    pages: '内存页',
    gpaHpa: (gpa: string, hpa: string) => `GPA ${gpa} → HPA ${hpa}`,
    kind: { private: '私有', shared: '共享' },
    owner: (owner: string, validated: boolean, gpa: string | null) =>
      `所有者 ${owner}，${validated ? '已验证' : '未验证'}${gpa ? `，分配的 GPA ${gpa}` : ''}`,
    noEntry: '无条目',
    guestTitle: '客户机看到的内容',
    guestNote: '明文（客户机通过 CPU 读取自己的内存）',
    hostTitle: '主机看到的内容',
    hostKind: {
      plaintext: '明文：主机按原样读取该页帧',
      ciphertext: '密文：内存控制器使用只有该客户机上下文才会用到的密钥加密该页帧',
      'abort-values': '中止值：CPU 对受保护内存的读取返回固定的模式',
      fault: '读取触发故障',
    },
    faultMessage: '主机的读取触发故障：',
    marked: (offset: string, length: number) => `已标记：机密（${num(length)} 字节），位于偏移量 ${offset}`,
    notHere: '机密没有存储在此页面中。',
    hostMarked: '已标记：机密的字节',
    notAtLocation: '机密所在位置的字节已不再是机密（该页面在机密存储之后发生了变化）。',
    alsoAt: (offsets: string[], also: boolean) =>
      `已标记：机密的字节${also ? '还' : ''}出现在 ${offsets.join('、')}`,
    verdict: {
      secret: '主机可以读取机密',
      ciphertext: '主机只能看到密文——机密的字节没有出现',
      'abort-values': '主机只能读到中止值{uniform}——机密的字节没有出现',
      fault: '主机的读取触发故障——它得不到任何字节，机密的字节也没有出现',
      plaintext: '主机以明文读取此页面，但其中不含机密的字节',
      empty: '主机没有得到任何字节——机密的字节没有出现',
      'no-secret': '本次运行没有可查找的机密',
    },
    foundAt: (offsets: string[]) => `（其字节位于偏移量 ${offsets.join('、')}）`,
    uniform: (byte: string) => `（每个字节都是 ${byte}）`,
    rows: (shown: number, total: number) => `显示 ${num(shown)} 行，共 ${num(total)} 行。`,
    showAll: (total: number) => `显示全部 ${num(total)} 行`,
    showFirst: (n: number) => `只显示前 ${num(n)} 行`,
    attacker: '攻击者得到的内容',
    noAttacker: '在此步骤，尚无攻击读取客户机内存或寄存器。',
    chooseRead: '读取操作',
    event: (seq: number, attack: string | undefined, kind: string, bytes: number) =>
      `事件 #${seq} · ${attack ?? ''} · ${kind} · ${num(bytes)} 字节`,
    attackerVerdict: {
      secret: '这些字节包含机密',
      'no-secret-bytes': '这些字节不包含机密',
      empty: '这次读取没有携带任何字节（攻击者只得知了客户机接下来做了什么）',
    },
    hexLabel: (what: string) => `十六进制转储：${what}`,
  },

  threatMatrix: {
    gridLabel: '威胁矩阵：平台（行）× 攻击（列）',
    keyboardHelp:
      '方向键在单元格之间移动，Home 和 End 跳到一行的两端（按住 Ctrl 则跳到整个网格的两端），Enter 或空格键选中。',
    sortRows: '平台排序',
    sortColumns: '攻击排序',
    sortOrder: { default: '默认', name: '按名称', leaked: '泄露最多的在前' },
    outcomeFilter: '显示的结果',
    query: '按名称筛选',
    queryPlaceholder: '例如 sev、dma',
    exportGroup: '下载',
    exportAs: (format: string) => `将矩阵下载为 ${format}`,
    legend: '图例',
    starting: '正在启动模拟…',
    computing: (done: number, total: number) => `正在计算单元格 ${num(done)} / ${num(total)}…`,
    failed: (reason: string) => `无法计算矩阵：${reason}`,
    noMatch: (query: string) => `没有与“${query}”匹配的平台或攻击。`,
    cell: (platform: string, attack: string, outcome: string) => `${platform} × ${attack}：${outcome}`,
    dimmed: '（已被结果筛选淡化）',
    detailsHeading: '选中的单元格',
    noSelection: '选择一个单元格（点击它，或用方向键移动后按 Enter）即可查看原因。',
    decisiveEvents: '决定性事件',
    noEvents: '没有记录中的事件决定此单元格。',
    sources: '来源',
    exportTitle: '威胁矩阵',
    exportCaption: (seed: number, flags: string) =>
      `机密计算威胁探索器 · 随机种子 ${seed}${flags ? ` · ${flags}` : ''}`,
  },

  statechart: {
    label: '四个信任域状态机的状态图',
    intro:
      '每个状态机的状态和转换，读取自其 XState 定义。高亮的状态是状态机在此步骤所处的状态；粗箭头是把它带到这里的转换。',
    machines: {
      platform: '平台',
      host: '主机',
      guest: '客户机',
      owner: '所有者',
    },
    chart: (machine: string) => `${machine}的状态图`,
    states: '状态',
    transitions: '转换',
    active: '● 当前',
    now: '当前：',
    notStarted: '在此步骤尚未启动',
    since: (at: number) => (at === 0 ? '从一开始' : `自事件 #${at - 1} 起`),
    lastTaken: '最近一次转换：',
    noneTaken: '暂无',
    anyState: '任意状态',
    initial: '初始',
    final: '终止',
    stateLabel: (
      box: { id: string; any: boolean; initial: boolean; final: boolean },
      internal: string[],
      active: boolean,
      status?: string,
    ) =>
      [
        box.any ? '任意状态（无论状态机处于哪个状态都会执行的转换）' : box.id,
        box.initial ? '初始状态' : '',
        box.final ? '终止状态' : '',
        internal.length ? `遇到 ${internal.join('、')} 时保持原状态` : '',
        active ? `此步骤的当前状态${status && status !== 'active' ? `（状态机 ${status}）` : ''}` : '',
      ]
        .filter(Boolean)
        .join('；'),
    edgeLabel: (from: string, to: string, labels: string[], taken: boolean) =>
      `从 ${from} 到 ${to}，事件：${labels.join(' 或 ')}${taken ? '；最近一次转换' : ''}`,
    details: '状态详情',
    entry: '进入动作',
    exit: '退出动作',
    on: '转换',
    stays: '保持原状态',
    noActions: '无动作',
    noTransitions: '无（没有事件会离开此状态）',
    hint: '聚焦或点击某个状态即可查看其动作。',
  },

  evidenceDrop: {
    intro:
      'TPM 事件日志（binary_bios_measurements）、附带 VCEK（以及可选的 ASK/ARK）的 SEV-SNP 证明报告，或 AWS Nitro 证明文档（CBOR 或 base64）。再加上你的 TPM 报告的 PCR 值（JSON 或 tpm2_pcrread 的输出），即可将日志与之比较。',
    zone: '将证据文件拖放到此处，或选择文件',
    zoneHint: '按 Enter 或空格键打开文件选择器；可以一次选择多个文件。',
    dropping: '松开即可读取这些文件',
    reading: '正在读取和评估…',
    privacy: '文件只在本页面中读取，绝不会上传。',
    filesHeading: '已读取的文件',
    errorsHeading: '问题',
    notesHeading: (n: number) => `备注（${num(n)}）`,
    noFiles: '尚无文件。',
    problem: '有问题，见下文',
    done: (n: number, problems: number) =>
      `已读取 ${num(n)} 个文件${problems ? `，${num(problems)} 个问题` : ''}。`,
    size: (bytes: number) => formatSize('zh-CN', bytes),
    tooLarge: (max: string) => `大于 ${max}：未读取`,
    failed: (message: string) => `无法读取这些文件：${message}`,
    kinds: {
      'event-log': 'TCG 事件日志',
      'snp-report': 'SEV-SNP 报告',
      certificates: '证书',
      'nitro-document': 'Nitro 文档',
      'pcr-values': 'PCR 值',
      unknown: '无法识别',
    },
  },

  nav: {
    sections: '栏目',
    explorer: '探索器',
    workshops: '研讨课',
    loading: '正在加载研讨课…',
    loadFailed: '无法加载研讨课：',
  },

  workshops: {
    title: '研讨课',
    levels: { beginner: '入门', intermediate: '中级', advanced: '高级' },
    minutes: (n: number) => `${num(n)} 分钟`,
    linkProblems: '此链接中有部分内容无法使用：',
    dismiss: '关闭',
    problems: {
      unreadable: '无法读取此链接',
      repeated: (key: string) => `${key} 出现了不止一次，已使用第一个值`,
      tooLong: (length: number, max: number) =>
        `链接长 ${num(length)} 个字符（最多 ${num(max)} 个），改为显示场景列表`,
      noValue: (key: string) => `${key} 不接受取值，已忽略`,
      topic: (value: string) => `${value} 不是主题 id，改为显示全部主题`,
      level: (value: string, known: string) => `未知难度 ${value}（可用：${known}），改为显示全部难度`,
      setting: (key: string) => `已忽略未知设置 ${key}`,
      noScenario: '此链接没有指明场景，下面列出了全部场景',
      notId: (value: string) => `${value} 不是场景 id，下面列出了全部场景`,
      step: (value: string) => `步骤 ${value} 不是从 1 开始的步骤编号，改为从上次的进度继续`,
      mode: (value: string, known: string) => `已忽略未知模式 ${value}（可用：${known}）`,
      source: (value: string) => `已忽略未知来源 ${value}`,
      fileGone: (id: string, openFile: string) =>
        `场景文件 ${id} 已不在本次浏览器会话中打开，请用“${openFile}”重新打开`,
      unknownScenario: (id: string) => `没有名为 ${id} 的研讨课场景，下面列出了现有的场景`,
    },
  },

  scenarioIndex: {
    intro: '基于实时模拟的引导式场景：每一步都会设置好系统、指出值得关注之处，并请你先做出预测，再揭晓结果。',
    filters: '查找场景',
    topic: '主题',
    allTopics: '全部主题',
    level: '难度',
    allLevels: '全部难度',
    search: '搜索',
    searchHint: '标题、摘要、主题或学习目标',
    count: (shown: number, total: number) =>
      shown === total ? `共 ${num(total)} 个场景` : `${num(total)} 个场景中的 ${num(shown)} 个`,
    none: '没有符合这些筛选条件的场景。',
    clear: '显示全部场景',
    duration: '时长',
    levelLabel: '难度',
    topics: '主题',
    objectives: (n: number) => `${num(n)} 个学习目标`,
    steps: (n: number) => `${num(n)} 个步骤`,
    notStarted: '尚未开始',
    progress: (seen: number, steps: number, correct: number, questions: number) =>
      `已看 ${num(seen)}/${num(steps)} 步` + (questions ? `，测验 ${num(correct)}/${num(questions)}` : ''),
    completed: '已完成',
    progressLabel: '你的进度',
    openFile: '打开场景文件…',
    openFileHint: '预览你自己编写的场景 YAML：文件只在本浏览器中读取，绝不上传，浏览器会话结束后即被遗忘。',
    yourFile: '你的场景文件',
    fileProblems: (file: string, n: number) => `${file}：有 ${num(n)} 个问题，因此无法播放`,
    fileWarnings: (file: string, n: number) => `${file} 已打开，有 ${num(n)} 条警告：请检查文字是否如你所愿`,
    tooLarge: (n: number, max: number) => `文件大小为 ${num(n)} 字节；最多只能打开 ${num(max)} 字节`,
    unreadable: '无法读取该文件',
    reading: '正在读取文件…',
    broken: '有问题的场景文件',
    brokenIntro: '以下随附的文件未能加载，因此没有列在上面：',
  },

  player: {
    fromFile: (f: string) => `来自你的文件 ${f}`,
    about: '学完后你将能够解释',
    sources: '参考资料',
    stepOf: (k: number, n: number) => `第 ${num(k)} 步，共 ${num(n)} 步`,
    steps: '步骤',
    progress: '场景进度',
    previous: '上一步',
    next: '下一步',
    shortcuts: '快捷键：← → 或 N P 切换步骤，Home 和 End 跳到第一步和最后一步。',
    noTranslation: '本步骤暂无中文版',
    simulating: '正在模拟…',
    failed: '模拟失败：',
    system: (platform: string, attacks: string[]) =>
      `${platform}${attacks.length ? ` · 攻击：${attacks.join('、')}` : ' · 无攻击'}`,
    position: (k: number, n: number, latest: string | null) =>
      k === 0
        ? `当前显示：运行开始，${num(n)} 个事件都尚未发生。`
        : `当前显示：${num(n)} 个事件中的前 ${num(k)} 个${latest ? `，最新的是 ${latest}` : ''}。`,
    missing: (kind: string) => `本次运行没有 ${kind} 事件，因此本步骤显示运行的结尾。`,
    lookAt: '请关注',
    focusNames: { page: '页面', field: '字段', event: '事件', register: '寄存器', cell: '单元格' },
    hidden: '请先做出预测：回答之后才会显示模拟的结果。',
    reveal: '模拟的结果',
    notInRun: (attack: string) => `本步骤的运行中没有注入 ${attack}。`,
    openInExplorer: '在探索器中打开此步骤',
    score: (c: number, a: number, t: number) => `测验：共 ${num(t)} 题，已答 ${num(a)} 题，答对 ${num(c)} 题`,
    finished: '你已完成本场景。',
    restart: '重新开始',
    back: '返回研讨课列表',
    presenter: '讲师',
    notes: '讲师备注',
    noNotes: '本步骤没有备注。',
    nextUp: '下一步',
    lastStep: '这是最后一步。',
    timer: '用时',
    of: (m: number) => `共 ${num(m)} 分钟`,
    pause: '暂停计时',
    resume: '继续计时',
    reset: '重置计时',
    openAudience: '打开观众窗口',
    blocked: '浏览器拦截了新窗口。请改为在另一个窗口中打开此链接：',
    audienceLink: '观众视图',
    synced: '本场景处于讲师模式或观众模式的各个窗口会彼此同步。',
  },

  question: {
    heading: '轮到你了',
    predict: '预测结果',
    submit: '提交答案',
    pick: '请先选择一个答案。',
    correct: '回答正确。',
    wrong: '不太对。',
    theAnswer: '正确答案：',
    yours: '你的答案',
    outcomes: {
      leaked: '泄露：攻击者拿到了机密',
      detected: '检测到：所有者的验证方发现了异常，机密没有发放',
      prevented: '已阻止：平台阻止了攻击',
      'out-of-scope': '不在威胁模型内：攻击得逞，而平台从未声称能阻止它',
      'not-applicable': '不适用：攻击在这里没有可作用的对象',
    },
  },

  embed: {
    problems: '此嵌入的部分设置无法使用：',
    notShown: (reason: string) => `${reason}；未显示`,
    loadingView: '正在加载视图…',
    loadingScenario: '正在加载场景…',
    viewFailed: '无法加载视图：',
    open: '在完整的探索器中打开',
    opensNew: '（在新标签页中打开）',
  },

  copyEmbed: {
    copy: '复制嵌入代码',
    copied: '嵌入代码已复制：请粘贴到你的网页 HTML 中。',
    manual: '请将这段嵌入代码复制到你的网页 HTML 中：',
  },
} satisfies Messages;
