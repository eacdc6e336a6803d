/**
 * Vocabularies for the generated firm. Client names are built from a few hundred words in a
 * handful of patterns, so that searching for one word finds tens to hundreds of clients out of
 * 20,000, as it does in a real client list (many "Holdings", a few dozen "Harbour").
 */

/** A comma-separated list, wrapped over lines as needed. */
const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export const COMPETITOR_FIRMS = list(`
  Allen Harcourt, Bramwell Price, Clifford Lane, Danvers & Co, Eversleigh, Farrow Mills, Garside Law, Hobart Quayle, Irving Stanton,
  Jessop Ward, Kilbride Moss, Linklow, Mayhew Grant, Norcross LLP, Osborne Tate
`);

export const CONTACT_ROLES = list(`
  General Counsel, Deputy GC, CFO, CEO, Head of Legal, Company Secretary, Head of Procurement, HR Director, Legal Counsel, COO
`);

export const FIRST_NAMES = list(`
  Aisha, Alice, Amelia, Amir, Ana, Andrew, Anna, Arjun, Ben, Bethany, Caroline, Catherine, Charles, Charlotte, Chen, Chloe, Christopher,
  Claire, Daniel, David, Deborah, Duncan, Edward, Eleanor, Elena, Elizabeth, Emily, Emma, Fatima, Fiona, Francesca, George, Georgina, Grace,
  Hannah, Harriet, Harry, Helen, Henry, Hiroshi, Imogen, Isabel, Jack, James, Jane, Jasmine, Jennifer, Jessica, Joanna, John, Jonathan, Joseph,
  Julia, Karen, Katherine, Kavita, Laura, Lucy, Luke, Maria, Mark, Martin, Matthew, Megan, Mei, Michael, Mohammed, Nadia, Natalie, Nicholas,
  Nikhil, Oliver, Olivia, Omar, Patrick, Paul, Peter, Philip, Priya, Rachel, Rebecca, Richard, Robert, Rosalind, Ruth, Samuel, Sarah, Sean,
  Simon, Sofia, Sophie, Stephen, Susan, Thomas, Timothy, Tom, Victoria, William, Yusuf, Zara
`);

export const INDUSTRIES = list(`
  Banking and finance, Insurance, Real estate, Construction, Energy, Healthcare, Life sciences, Technology, Telecoms, Media, Retail,
  Consumer goods, Manufacturing, Transport and logistics, Hospitality, Public sector, Charities, Education, Private equity, Infrastructure
`);

export const JOB_TITLES = list(`
  Director, Senior Counsel, Legal Counsel, Finance Director, Head of Operations, Partner, Vice President, Manager, Chief Executive
`);

export const MATTER_TOPICS = list(`
  acquisition, disposal, refinancing, joint venture, supply agreement, licence review, lease renewal, site acquisition, contract dispute,
  employment tribunal, restructuring, bond issue, investigation, compliance review, trade mark portfolio, outsourcing, framework agreement,
  share scheme, pension scheme review, planning appeal, warranty claim, fund formation
`);

/** What the company does, as its name says it. */
export const NAME_ACTIVITIES = list(`
  Aerospace, Agriculture, Analytics, Asset Management, Automotive, Aviation, Banking, Biotech, Brewing, Broadcasting, Building, Capital,
  Chemicals, Construction, Consulting, Data, Developments, Diagnostics, Energy, Engineering, Estates, Foods, Freight, Gaming, Healthcare,
  Homes, Hospitality, Infrastructure, Insurance, Investments, Leisure, Logistics, Marine, Media, Medical, Metals, Mining, Motors, Networks,
  Packaging, Pharma, Power, Properties, Publishing, Rail, Renewables, Retail, Robotics, Security, Shipping, Software, Steel, Systems,
  Technologies, Telecom, Textiles, Trading, Travel, Utilities, Water, Wind
`);

/** Place-like and brand-like first words of company names. */
export const NAME_PREFIXES = list(`
  Aldgate, Alder, Anchor, Apex, Arden, Ashbourne, Atlas, Avalon, Azure, Beacon, Bedrock, Birchwood, Blackfriars, Bluewater, Bramble,
  Bridgewater, Brightwell, Brookfield, Cairn, Caledonian, Cambrian, Castlegate, Cedar, Charter, Clearwater, Cobalt, Compass, Coniston,
  Copperfield, Crescent, Crown, Dalton, Dovetail, Eastbury, Elmstead, Ember, Evergreen, Fairfax, Falcon, Fernhill, Firth, Foxglove, Galleon,
  Garnet, Glenmore, Granite, Greyfriars, Halcyon, Harbour, Hawthorn, Heron, Highgate, Horizon, Ironbridge, Juniper, Kestrel, Kingsway,
  Lakeside, Lantern, Larch, Linden, Lodestar, Longbow, Lyndhurst, Maple, Marlow, Meridian, Millbrook, Monarch, Moorgate, Northgate, Oakridge,
  Orchard, Osprey, Paragon, Pennine, Peregrine, Pinnacle, Portland, Quayside, Redwood, Regent, Ridgeway, Riverside, Rowan, Saffron, Sapphire,
  Severn, Silverstone, Solent, Sovereign, Sterling, Stonebridge, Summit, Tamar, Thistle, Trafalgar, Trident, Tudor, Union, Vanguard, Vantage,
  Verity, Waterloo, Wessex, Westbrook, Whitehall, Willow, Windsor, Wolseley, Yarrow, Zenith
`);

export const NAME_SUFFIXES = list(`
  Ltd, Limited, plc, LLP, Group, Holdings, Partners, Inc., GmbH, SA, AG, BV, Trust, Foundation
`);

export const OFFICES = list(`
  London, Manchester, Leeds, Birmingham, Bristol, Edinburgh, Glasgow, Dublin, New York, Frankfurt, Paris, Singapore
`);

export const PRACTICE_AREAS = list(`
  Corporate, M&A, Banking, Finance, Real Estate, Planning, Construction, Disputes, Arbitration, Employment, Pensions, Tax,
  Intellectual Property, Technology, Data Protection, Competition, Regulatory, Restructuring, Private Client, Projects
`);

export const SURNAMES = list(`
  Abbott, Ahmed, Ali, Allen, Anderson, Armstrong, Bailey, Baker, Banerjee, Barker, Barnes, Bell, Bennett, Brooks, Brown, Burke, Butler,
  Campbell, Carter, Chan, Chapman, Clarke, Cole, Collins, Cook, Cooper, Cox, Davies, Dixon, Doyle, Edwards, Ellis, Evans, Fisher, Fleming,
  Fletcher, Foster, Fraser, Gallagher, Gibson, Graham, Grant, Gray, Green, Griffiths, Hall, Hamilton, Harris, Harrison, Hart, Hayes, Henderson,
  Hill, Holmes, Hughes, Hunt, Hussain, Jackson, James, Jenkins, Johnson, Jones, Kaur, Kelly, Kennedy, Khan, King, Knight, Lawrence, Lee, Lewis,
  Lloyd, Marshall, Martin, Mason, Matthews, McDonald, Mills, Mitchell, Moore, Morgan, Morris, Murphy, Murray, Nakamura, Newman, Nguyen, OBrien,
  Owen, Palmer, Parker, Patel, Pearce, Phillips, Powell, Price, Quinn, Reid, Reynolds, Richards, Richardson, Roberts, Robinson, Rogers, Rose,
  Ross, Russell, Saunders, Scott, Shah, Sharma, Shaw, Simpson, Singh, Smith, Stevens, Stewart, Sutherland, Taylor, Thomas, Thompson, Turner,
  Walker, Walsh, Ward, Watson, Webb, White, Wilkinson, Williams, Wilson, Wood, Wright, Young, Zhang
`);

export const STAFF_TITLES: Record<string, string[]> = {
  admin: list('IT Manager, Systems Administrator'),
  programme_lead: list('Client Listening Lead, Head of Client Service'),
  management: list('Managing Partner, Chief Operating Officer, Head of Business Development, Practice Group Leader'),
  partner: list('Partner, Senior Partner, Equity Partner'),
  member: list('Associate, Senior Associate, Trainee Solicitor, Paralegal, Counsel, Business Development Manager, Knowledge Lawyer'),
  external: list('Consultant, Independent Reviewer'),
};

/** Listening sessions: what a session is for, what the client says, and how it is filed. */
export const SESSION_OBJECTIVES = [
  'Hear how the relationship is going in the client’s own words, and what the next year holds.',
  'Understand how the legal team sees our work on the {topic} matters.',
  'Take stock after the {topic} work closed, and learn what to keep and what to change.',
  'Learn why instructions have slowed this year, and whether anything should change.',
  'Understand how the client wants to hear from us, and who should be in the room.',
  'Hear the general counsel’s view of value for money across the panel.',
  'Listen to the new head of legal: priorities, pressures and how they buy legal services.',
  'Find out what the client expects from us on {topic} over the next two years.',
] as const;

export const SESSION_EXPECTATIONS = [
  'A candid hour on the relationship. Not the place to discuss fees on live matters.',
  'Listening only: what works, what to change. No pitching.',
  'The client owes us nothing. We listen; we do not sell.',
  'A conversation about the relationship, not the merits of any case.',
] as const;

export const SESSION_AGENDAS = [
  'Introductions; the relationship; value; working together; what is coming up; scores.',
  'Welcome; how the year has gone; one thing to change; next steps.',
  'The relationship; the {topic} work; reporting and communication; scores.',
] as const;

export const CANCEL_REASONS = [
  'The general counsel left the company before the session.',
  'The client asked to postpone until after their year end; a new session will be planned.',
  'A transaction took all their time this quarter.',
  'The relationship partner asked to hold off while a fee discussion is open.',
  'The client declined: they run their own panel review instead.',
] as const;

export const VIDEO_PLATFORMS = ['Microsoft Teams', 'Zoom', 'Google Meet', 'Webex'] as const;

export const REMARK_THEMES = [
  'communication',
  'billing and value',
  'responsiveness',
  'understanding of the business',
  'staffing and continuity',
  'reporting',
  'expertise',
  'risk',
  'future work',
] as const;

/** Remarks are built from three parts, so that 20,000 sessions do not repeat the same sentence. */
export const REMARK_OPENERS = [
  'Honestly,',
  'To be fair,',
  'Between us,',
  'If I am candid,',
  'Looking back over the year,',
  'Compared with the rest of the panel,',
  'What the board noticed is that',
  'My team tells me',
  'The thing I would change is that',
  'What we value most is that',
] as const;

export const REMARK_SUBJECTS = [
  'the updates on the {topic} work',
  'the invoicing on the {topic} matters',
  'the senior associate on our file',
  'the partner’s weekly call',
  'the way you staff the {topic} work',
  'your advice on {topic}',
  'the turnaround on first drafts',
  'the monthly reporting pack',
  'the fee estimate',
  'the secondee you lent us',
  'the training for our in-house team',
  'the team’s grasp of our industry',
] as const;

export const REMARK_VERDICTS = [
  'is the best on the panel, and we tell our peers so.',
  'arrives too late to be useful before our board meets.',
  'is clear and short, which is exactly what we need.',
  'has been patchy since the team changed last spring.',
  'costs more than we expected and nobody explained why.',
  'makes us feel you understand the pressures on us.',
  'is too long: we need the decision points on page one.',
  'is the reason we keep sending you the difficult work.',
  'has improved a lot compared with two years ago.',
  'needs someone who knows the file, not three new faces every meeting.',
] as const;

/** Notes on a guide question: a summary line and a detail, both templated. */
export const ANSWER_LEADS = [
  'Broadly positive.',
  'Mixed.',
  'Strong on the law, weaker on updates.',
  'Clear message:',
  'Took a while to open up, then candid.',
  'Very direct about this.',
  'Positive overall, with one sharp point.',
  'Not happy.',
] as const;

export const ANSWER_DETAILS = [
  'Wants one page of status with the decision points first, and the same associate throughout.',
  'Values continuity on the {topic} work; would notice if the senior associate moved on.',
  'Feels the bills on {topic} were hard to follow; asks for estimates before work starts.',
  'Prefers Teams to email for quick questions, and a written update every Friday.',
  'Expects more {topic} work next year as the regulatory change lands; wants us ready for it.',
  'Compares us with two other panel firms on price and finds us dearer but quicker.',
  'Would like the partner to visit once a quarter, not only when there is a new matter.',
  'Mentioned training for the in-house team as something other firms offer for free.',
  'Sees the firm as a trusted adviser on {topic}; less so on day-to-day commercial work.',
  'Said updates arrive after the client has already heard the news from the other side.',
] as const;
