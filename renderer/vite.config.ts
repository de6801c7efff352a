// Renderer build (npm run build:renderer). Output is plain static files loaded by Electron (file://) and by
// `concord serve`, so paths are relative (base './') and nothing is fetched from another origin.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    // Browsers with CSS light-dark() (the theme relies on it); Electron's Chromium is newer still.
    target: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
    cssTarget: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // No inline <script> or data: modules anywhere: the CSP is `self` only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
