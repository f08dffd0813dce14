// The pages the browser benchmarks measure: the seeker's, and the helper's dashboard for
// comparison; who is logged in for each.
export const PAGES = [
  { name: 'Connect form', path: '/programs/1/connect', as: null, seeker: true },
  { name: 'program page', path: '/programs/1', as: null, seeker: true },
  { name: 'Referrals For Me', path: '/referrals', as: 'dana@example.test', seeker: true },
  { name: "helper dashboard (People I'm Helping)", path: '/people', as: 'ana@navigators.test', seeker: false },
];
