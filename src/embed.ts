/**
 * embed.html's entry: one explorer view or one scenario step for an iframe on another page
 * (docs/embedding.md). Imports only the embed shell; the view it shows is downloaded on demand.
 * Its language is the query string's `lang` (`embed.html?view=boot&lang=zh-CN`), as for the explorer
 * (src/ui/i18n); without one, the browser's languages decide.
 */
import { mount } from 'svelte';
import './ui/lib/theme.css';
import './ui/lib/outcomes.css';
import Embed from './ui/embed/Embed.svelte';
import { langParam } from './ui/i18n/detect';
import { matchLocale, setLocale } from './ui/i18n/index.svelte';

const chosen = matchLocale(langParam(location.search));
if (chosen) setLocale(chosen);

const target = document.getElementById('embed');
if (!target) throw new Error('embed.html has no #embed element to mount the embed into');

export default mount(Embed, { target });
