/**
 * embed.html's entry: one explorer view or one scenario step for an iframe on another page
 * (docs/embedding.md). Imports only the embed shell; the view it shows is downloaded on demand.
 */
import { mount } from 'svelte';
import './ui/lib/theme.css';
import Embed from './ui/embed/Embed.svelte';

const target = document.getElementById('embed');
if (!target) throw new Error('embed.html has no #embed element to mount the embed into');

export default mount(Embed, { target });
