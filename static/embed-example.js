/*
 * The example host page's script (embed-example.html): drives two embeds of the Confidential
 * Computing Threat Explorer through their postMessage API (docs/embedding.md), logs every event they
 * send, and sizes each iframe to the height its content reports. Plain JavaScript, no build step, no
 * inline script or style (the page runs under a strict Content-Security-Policy), relative URLs only.
 */

/** Where the embeds come from: embed.html next to this page. Messages go only there. */
const EMBED_ORIGIN = new URL('embed.html', location.href).origin;
const MAX_LOG = 60;

/** One embed on the page, with its controls, status line and event log. */
function setUpDemo(section) {
  const iframe = section.querySelector('iframe');
  const controls = section.querySelector('[data-controls]');
  const status = section.querySelector('[data-status]');
  const log = section.querySelector('[data-log]');
  const template = document.getElementById('controls');
  controls.append(template.content.cloneNode(true));
  const demo = { section, iframe, controls, status, log, ready: false, state: null };

  const field = (name) => controls.querySelector(`[data-field="${name}"]`);
  const send = (message) => {
    if (!iframe.contentWindow) return;
    iframe.contentWindow.postMessage({ target: 'ccte-embed', ...message }, EMBED_ORIGIN);
  };
  const commands = {
    play: () => send({ type: 'play' }),
    pause: () => send({ type: 'pause' }),
    back: () => send({ type: 'step', delta: -1 }),
    forward: () => send({ type: 'step', delta: 1 }),
    start: () => send({ type: 'step', to: 0 }),
    setPlatform: () => send({ type: 'setPlatform', platform: field('platform').value }),
    injectAttack: () => send({ type: 'injectAttack', attack: field('attack').value, on: true }),
    removeAttack: () => send({ type: 'injectAttack', attack: field('attack').value, on: false }),
    loadScenario: () => {
      const step = Number(field('scenarioStep').value);
      const message = { type: 'loadScenario', scenario: field('scenario').value };
      if (Number.isInteger(step) && step >= 1) message.step = step;
      send(message);
    },
  };
  for (const button of controls.querySelectorAll('button[data-command]')) {
    button.disabled = true;
    button.addEventListener('click', () => commands[button.dataset.command]());
  }
  return demo;
}

function describe(state) {
  const parts = [
    state.mode === 'scenario' && state.scenario
      ? `scenario ${state.scenario.id}, step ${state.scenario.step} of ${state.scenario.steps}`
      : `${state.view} view`,
    state.platform,
    state.attacks.length ? state.attacks.join(', ') : 'no attack',
    `event ${state.step} of ${state.total}`,
    state.playing ? 'playing' : 'paused',
  ];
  return parts.join(' · ');
}

function addToLog(demo, message) {
  const item = document.createElement('li');
  const type = document.createElement('code');
  type.textContent = message.type;
  item.dataset.type = message.type;
  item.append(type, ' ', message.type === 'resize' ? `${message.height} px` : describe(message.state));
  demo.log.prepend(item);
  while (demo.log.children.length > MAX_LOG) demo.log.lastElementChild.remove();
}

const demos = [...document.querySelectorAll('section.demo')].map(setUpDemo);

window.addEventListener('message', (event) => {
  // Only our own iframes, only from where the embeds are served, only the embed's messages.
  const demo = demos.find((d) => d.iframe.contentWindow === event.source);
  if (!demo || event.origin !== EMBED_ORIGIN) return;
  const message = event.data;
  if (typeof message !== 'object' || message === null || message.source !== 'ccte-embed') return;
  if (message.version !== 1) return;
  switch (message.type) {
    case 'ready':
      demo.ready = true;
      for (const button of demo.controls.querySelectorAll('button[data-command]')) button.disabled = false;
    // falls through
    case 'state':
      demo.state = message.state;
      demo.status.textContent = describe(message.state);
      break;
    case 'resize':
      if (Number.isFinite(message.height) && message.height > 0) {
        demo.iframe.style.height = `${Math.ceil(message.height)}px`;
      }
      break;
    default:
      return;
  }
  addToLog(demo, message);
});
