//! Names to draw from, roughly most common first (the generator weights them so):
//! English, Welsh, Scottish, Irish, South Asian, West African, Polish and others,
//! with hyphens, apostrophes and accents as families write them.

#[rustfmt::skip]
pub const BOYS: &[&str] = &[
    "Muhammad", "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Oscar", "Archie", "Henry",
    "Theodore", "Freddie", "Jack", "Charlie", "Thomas", "Jacob", "Alfie", "Finley", "William",
    "Lucas", "Isaac", "Teddy", "Joshua", "James", "Alexander", "Edward", "Samuel", "Joseph",
    "Daniel", "Benjamin", "Max", "Sebastian", "Mohammed", "Reggie", "Logan", "Ethan", "Mason",
    "Elijah", "Albie", "Harrison", "Louie", "Tommy", "Jude", "Zachary", "Dylan", "Roman",
    "Reuben", "Hugo", "Toby", "Rory", "Louis", "Ronnie", "Riley", "Ezra", "Frankie", "Stanley",
    "Jaxon", "Albert", "Carter", "Michael", "Bobby", "Jenson", "Ibrahim", "Otis", "Jasper",
    "Gabriel", "Ralph", "Matthew", "David", "Luca", "Hunter", "Nathan", "Ryan", "Kai", "Elliot",
    "Tyler", "Caleb", "Aaron", "Robert", "Frederick", "Harvey", "Leon", "Felix", "Liam", "Jamie",
    "Dexter", "Rowan", "Christopher", "Yusuf", "Ali", "Omar", "Ayaan", "Hamza", "Zayn",
    "Oisín", "Seán", "Cian", "Rhys", "Dafydd", "Gethin", "Callum", "Euan", "Fraser", "Angus",
    "Kacper", "Jakub", "Szymon", "Mateusz", "Aleksander", "Chidi", "Kwame", "Tobi", "Femi",
    "Arjun", "Rohan", "Aarav", "Vihaan", "Krish", "Harjit", "Gurpreet", "Jayden", "Tyrese",
    "Kian", "Connor", "Declan", "Patrick", "Anthony", "Andrew", "Richard", "Stephen", "Peter",
    "John", "Nicholas", "Jonathan", "Charles", "Maximilian", "Leonard", "Archibald", "Nathaniel",
    "Cameron", "Kieran", "Lewis", "Morgan", "Owen", "Evan", "Aiden", "Brandon", "Jordan",
    "Marcus", "Adam", "Ben", "Sam", "Alex", "Tom", "Joe", "Dan", "Jay", "Ted", "Rafael", "Mateo",
    "Nico", "André", "José", "Luís", "Ahmed", "Bilal", "Idris", "Ismail", "Kofi", "Emeka",
];

#[rustfmt::skip]
pub const GIRLS: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow",
    "Rosie", "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella",
    "Evelyn", "Phoebe", "Sofia", "Evie", "Charlotte", "Harper", "Millie", "Matilda", "Maya",
    "Sophie", "Alice", "Emilia", "Isabelle", "Ruby", "Luna", "Maisie", "Aria", "Penelope", "Mila",
    "Bonnie", "Eva", "Hallie", "Eliza", "Ada", "Violet", "Esme", "Arabella", "Imogen", "Jessica",
    "Delilah", "Thea", "Layla", "Aurora", "Elizabeth", "Harriet", "Margot", "Orla", "Chloe",
    "Zoë", "Chloé", "Renée", "Anaïs", "Siân", "Niamh", "Aoife", "Saoirse", "Ffion", "Cerys",
    "Megan", "Eilidh", "Katherine", "Catherine", "Victoria", "Rebecca", "Abigail", "Eleanor",
    "Madison", "Madeleine", "Olivia-Rose", "Lily-Mae", "Ellie-May", "Alexandra", "Samantha",
    "Christina", "Jennifer", "Margaret", "Amelie", "Hannah", "Lucy", "Holly", "Jasmine", "Lola",
    "Summer", "Scarlett", "Erin", "Amber", "Molly", "Lacey", "Leah", "Georgia", "Hollie",
    "Fatima", "Aisha", "Maryam", "Zara", "Amira", "Hafsa", "Khadija", "Zainab", "Inaaya",
    "Anaya", "Priya", "Simran", "Harleen", "Navneet", "Jaspreet", "Chioma", "Adaeze", "Ama",
    "Abena", "Zofia", "Zuzanna", "Julia", "Maja", "Hanna", "Oliwia", "Wiktoria", "Kaja",
    "Beatriz", "Inês", "Mariana", "Leonor", "Giulia", "Francesca", "Nadia", "Yasmin", "Safa",
    "Nia", "Seren", "Carys", "Mali", "Skye", "Kayla", "Tiana", "Destiny", "Precious", "Faith",
    "Hope", "Liberty", "Paige", "Courtney", "Bethany", "Jade", "Kirsty", "Naomi", "Rachel",
    "Sarah", "Laura", "Emma", "Anna", "Kate", "Beth", "Liz", "Ellie", "Abby", "Jess", "Lexi",
];

#[rustfmt::skip]
pub const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews",
    "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day",
    "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson",
    "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells",
    "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster",
    "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
    "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton",
    "Oliver", "Reed", "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane",
    "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop", "Walton", "Burns", "Nicholson",
    "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne",
    "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor",
    "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers", "O'Neill", "Griffin",
    "Sharp", "Hardy", "Wheeler", "Potter", "Osborne", "Johnston", "Gordon", "Doyle", "Wallace",
    "George", "Jordan", "Hutchinson", "Rahman", "Miah", "Islam", "Uddin", "Chowdhury", "Akhtar",
    "Mahmood", "Iqbal", "Hussein", "Mohamed", "Abdi", "Osman", "Okafor", "Adeyemi", "Mensah",
    "Osei", "Boateng", "Okonkwo", "Adebayo", "Nwosu", "Nowak", "Kowalski", "Wiśniewski",
    "Kowalczyk", "Zieliński", "Lewandowska", "Popescu", "Ionescu", "Rossi", "Silva", "Santos",
    "Ferreira", "Gonçalves", "Costa", "García", "López", "Sánchez", "Núñez", "Müller",
    "Schröder", "Nguyen", "Chen", "Wang", "Li", "Zhang", "Wong", "Kumar", "Sharma", "Gupta",
    "Mistry", "Chauhan", "Sandhu", "Dhillon", "Bains", "D'Souza", "D'Cruz", "O'Sullivan",
    "O'Donnell", "O'Reilly", "MacDonald", "MacLeod", "Mackenzie", "McKenzie", "McLaughlin",
    "McGregor", "Fitzgerald", "Lloyd-Jones", "Owen-Jones", "Bowen-Davies", "Rhys-Williams",
    "Ap Rhys", "Le Roux", "De Souza", "Van der Berg", "St John", "Ní Bhriain",
];

/// Short forms a family writes for a formal first name (all in the matcher's list).
pub const NICKNAMES: &[(&str, &[&str])] = &[
    ("William", &["Will", "Billy", "Liam"]),
    ("Robert", &["Rob", "Robbie", "Bobby"]),
    ("Elizabeth", &["Liz", "Lizzie", "Beth", "Libby"]),
    ("Katherine", &["Kate", "Katie"]),
    ("Catherine", &["Kate", "Cathy"]),
    ("Alexander", &["Alex", "Xander"]),
    ("Alexandra", &["Alex", "Lexi"]),
    ("Samuel", &["Sam", "Sammy"]),
    ("Samantha", &["Sam"]),
    ("Thomas", &["Tom", "Tommy"]),
    ("James", &["Jamie", "Jim"]),
    ("Michael", &["Mike", "Mikey"]),
    ("Daniel", &["Dan", "Danny"]),
    ("Benjamin", &["Ben", "Benji"]),
    ("Joshua", &["Josh"]),
    ("Matthew", &["Matt", "Matty"]),
    ("Christopher", &["Chris"]),
    ("Christina", &["Chris", "Tina"]),
    ("Nicholas", &["Nick", "Nicky"]),
    ("John", &["Jack", "Johnny"]),
    ("Jonathan", &["Jon", "Jonny"]),
    ("Henry", &["Harry"]),
    ("Eleanor", &["Ellie", "Nell"]),
    ("Abigail", &["Abby", "Abi"]),
    ("Madison", &["Maddie"]),
    ("Madeleine", &["Maddie", "Maddy"]),
    ("Isabella", &["Izzy", "Bella"]),
    ("Isabelle", &["Izzy"]),
    ("Frederick", &["Freddie", "Fred"]),
    ("Charles", &["Charlie"]),
    ("Charlotte", &["Charlie", "Lottie"]),
    ("Oliver", &["Ollie"]),
    ("Olivia", &["Liv", "Livvy"]),
    ("Edward", &["Ed", "Eddie", "Ted"]),
    ("Theodore", &["Theo", "Teddy"]),
    ("Anthony", &["Tony"]),
    ("Andrew", &["Andy", "Drew"]),
    ("Richard", &["Rich", "Ricky"]),
    ("Joseph", &["Joe", "Joey"]),
    ("Jessica", &["Jess"]),
    ("Jennifer", &["Jen", "Jenny"]),
    ("Margaret", &["Maggie", "Meg"]),
    ("Rebecca", &["Becky", "Becca"]),
    ("Victoria", &["Vicky", "Tori"]),
    ("Stephen", &["Steve"]),
    ("Patrick", &["Paddy"]),
    ("Peter", &["Pete"]),
    ("David", &["Dave"]),
    ("Zachary", &["Zach", "Zak"]),
    ("Nathaniel", &["Nate", "Nathan"]),
    ("Amelia", &["Millie"]),
    ("Sophia", &["Sophie"]),
    ("Archibald", &["Archie"]),
    ("Penelope", &["Penny"]),
    ("Leonard", &["Leo", "Lenny"]),
    ("Maximilian", &["Max"]),
];

/// Relationships written on family contacts.
pub const MOTHERS: &[&str] = &["Mother", "Mum", "Mother", "Mother", "Carer"];
pub const FATHERS: &[&str] = &["Father", "Dad", "Father", "Stepfather", "Carer"];

/// Postcode areas of one large council, each with its districts.
pub const POSTCODE_AREAS: &[(&str, u8, &str)] = &[
    ("ME", 20, "Maidstone"),
    ("CT", 21, "Canterbury"),
    ("TN", 40, "Tonbridge"),
    ("DA", 18, "Dartford"),
    ("BR", 8, "Bromley"),
];

#[rustfmt::skip]
pub const STREETS: &[&str] = &[
    "High Street", "Station Road", "Church Lane", "Park Road", "Victoria Road", "Green Lane",
    "Manor Road", "Church Street", "Mill Lane", "London Road", "Queens Road", "New Road",
    "Kings Road", "Albert Road", "Grange Road", "Oak Avenue", "The Crescent", "Orchard Close",
    "Hop Garden Way", "Cherry Tree Walk", "St Mary's Road", "Castle Hill", "Harbour Parade",
];

/// Words a school's name is built from: a place or saint, then what kind of setting.
#[rustfmt::skip]
pub const SCHOOL_PLACES: &[&str] = &[
    "St Mary's", "St John's", "St Peter's", "Holy Trinity", "Christ Church", "St Augustine's",
    "Oakwood", "Beechwood", "Riverside", "Hillview", "Meadowbank", "Brookfield", "Greenfields",
    "Kingsmead", "Queensway", "Abbey", "Castle", "Harbour", "Downs", "Weald", "Marsh",
    "Valley", "Orchard", "Priory", "Bishop's", "Cathedral", "Westlands", "Eastcourt", "Northgate",
    "Southborough", "Cherry Tree", "Hop Farm", "Chalk Hill", "Ashford Road", "Medway",
    "Thames View", "Sandgate", "Lydd", "Folkestone", "Whitstable", "Margate", "Ramsgate",
    "Sevenoaks", "Tonbridge", "Dartford", "Gravesend", "Sittingbourne", "Faversham", "Deal",
];

pub const NURSERIES: &[&str] = &["Nursery", "Pre-School", "Day Nursery", "Playgroup"];
pub const PRIMARIES: &[&str] = &[
    "Primary School",
    "CE Primary School",
    "Church of England Primary School",
    "Catholic Primary School",
    "Infant School",
    "Junior School",
    "Primary Academy",
    "Community Primary School",
];
pub const SECONDARIES: &[&str] = &[
    "Academy",
    "Grammar School",
    "High School",
    "School",
    "Catholic School",
    "Church of England Academy",
    "Community College",
];
pub const COLLEGES: &[&str] = &[
    "College",
    "Sixth Form College",
    "College of Further Education",
];

/// The short forms of a formal first name, if it has any.
pub fn short_forms(formal: &str) -> Option<&'static [&'static str]> {
    NICKNAMES
        .iter()
        .find(|(name, _)| *name == formal)
        .map(|(_, short)| *short)
}
