/** UI strings shared by every page (header, sign-in, the deputy's list, roles, errors): English. */
import type { CommonMessages } from '../zh-CN/common';

export const common: CommonMessages = {
  appName: 'Deputy Suggestions Platform',
  languageSwitch: 'Switch language (English / 中文)',
  skipToContent: 'Skip to main content',

  loginHeading: 'Sign in',
  loginIntro: 'Sign in with your account.',
  username: 'Username',
  password: 'Password',
  loginSubmit: 'Sign in',
  loginSubmitting: 'Signing in…',

  loading: 'Loading…',
  logout: 'Sign out',
  loggingOut: 'Signing out…',
  welcome: 'Welcome, ',
  yourRole: 'Your role: ',
  workbenchComing: 'The workbench for this role is coming soon.',

  deputyWorkbench: 'Deputy workbench',
  newSuggestion: 'New suggestion',
  newSuggestionHint: 'One matter per suggestion.',
  suggestionTitle: 'Title',
  suggestionContent: 'Content',
  submitSuggestion: 'Submit suggestion',
  submittingSuggestion: 'Submitting…',
  suggestionSubmitted: (title: string) => `Suggestion “${title}” submitted.`,
  formHasErrors: 'Please correct the marked fields and submit again.',

  mySuggestions: 'My suggestions',
  noSuggestions: 'You have no suggestions yet.',
  total: (n: number) => `${n} in total`,
  registrationNo: 'Registration no.',
  createdAt: 'Created',
  submittedAt: 'Submitted',
  status: 'Status',
  refresh: 'Refresh',
  retry: 'Retry',
  listLoadFailed: 'Could not load the suggestions',
  live: 'Live',
  offline: 'Offline',
  liveHint: 'Status changes appear as they happen',
  offlineHint: 'Live updates disconnected; reconnecting',

  errorHeading: 'Something went wrong',
  backHome: 'Back to the home page',

  roles: {
    deputy: 'Deputy',
    reviewer: 'Deputy-work committee',
    coordinator: 'Government coordinator',
    unit: 'Handling unit',
    unit_handler: 'Handling unit officer',
    unit_leader: 'Unit leader',
    supervisor: 'Supervisor',
    admin: 'Administrator',
    constituent: 'Constituent',
    public: 'Public',
  },
};
