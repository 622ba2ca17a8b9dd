import { render } from 'preact';
render(<p>opm portal</p>, document.getElementById('app')!);
