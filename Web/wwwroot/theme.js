// The light/dark switch: remembers the choice in a cookie for the server's next render and swaps the theme now.
window.leadscoring = {
  toggleTheme() {
    const dark = document.getElementById('theme-dark');
    const light = document.getElementById('theme-light');
    const nowDark = dark.media === 'all' || (dark.media !== 'not all' && window.matchMedia('(prefers-color-scheme: dark)').matches);
    const next = nowDark ? 'light' : 'dark';
    dark.media = next === 'dark' ? 'all' : 'not all';
    light.media = next === 'light' ? 'all' : 'not all';
    document.body.dataset.theme = next;
    document.cookie = `leadscoring_theme=${next}; path=/; max-age=31536000; samesite=lax`;
  },
};
