import { mount } from 'svelte';
import './ui/lib/theme.css';
import './ui/lib/outcomes.css';
import Root from './ui/Root.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount the explorer into');

export default mount(Root, { target });
